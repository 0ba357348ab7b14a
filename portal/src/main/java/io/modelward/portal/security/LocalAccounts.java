package io.modelward.portal.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.modelward.governance.Role;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * Builds the local accounts: configured passwords are used as given, missing ones are generated once and kept in the
 * accounts file (owner read/write only), so the same passwords work after a restart. Passwords are never logged.
 */
final class LocalAccounts {

    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalAccounts() {
    }

    static InMemoryUserDetailsManager userDetails(LocalAccountProperties properties, Path accountsFile,
            PasswordEncoder encoder) {
        Map<String, String> passwords = passwords(properties, accountsFile);
        List<UserDetails> users = new ArrayList<>();
        for (LocalAccountProperties.User user : properties.users()) {
            List<SimpleGrantedAuthority> authorities = user.roles().stream()
                    .map(r -> Role.fromRealmRole(r).orElseThrow(() -> new IllegalStateException("Local account '"
                            + user.name() + "' has unknown role '" + r + "'; known roles: researcher, model-approver, "
                            + "auditor, admin, inference-client")))
                    .map(r -> new SimpleGrantedAuthority(r.authority())).toList();
            users.add(User.withUsername(user.name()).password(encoder.encode(passwords.get(user.name())))
                    .authorities(authorities).build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    /** The password of each account: configured, already generated, or generated now and saved. */
    static Map<String, String> passwords(LocalAccountProperties properties, Path accountsFile) {
        Properties saved = load(accountsFile);
        Map<String, String> passwords = new LinkedHashMap<>();
        boolean changed = false;
        for (LocalAccountProperties.User user : properties.users()) {
            String password = user.password();
            if (password == null || password.isBlank()) {
                password = saved.getProperty(user.name());
                if (password == null) {
                    password = generate();
                    saved.setProperty(user.name(), password);
                    changed = true;
                }
            }
            passwords.put(user.name(), password);
        }
        if (changed) {
            save(accountsFile, saved);
        }
        return passwords;
    }

    private static String generate() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot read local accounts from " + file, ex);
            }
        }
        return properties;
    }

    private static void save(Path file, Properties properties) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException ex) {
                // not a POSIX file system: rely on the directory's permissions
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(out, "ModelWard local accounts (embedded default): user=password. Keep this file private.");
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write local accounts to " + file, ex);
        }
    }
}
