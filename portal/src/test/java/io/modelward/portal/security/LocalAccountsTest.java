package io.modelward.portal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

class LocalAccountsTest {

    @TempDir
    Path dir;

    @Test
    void generatesMissingPasswordsOnceAndKeepsThemPrivate() throws Exception {
        Path file = dir.resolve("accounts.properties");
        LocalAccountProperties properties = new LocalAccountProperties(file, List.of(), null);
        Map<String, String> first = LocalAccounts.passwords(properties, file);
        assertThat(first).containsOnlyKeys("alice", "erin", "bob", "carol", "admin");
        assertThat(first.values()).allMatch(p -> p.length() == 16).doesNotHaveDuplicates();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LocalAccounts.passwords(properties, file)).isEqualTo(first);
    }

    @Test
    void usesConfiguredPasswordsWithoutWritingThem() {
        Path file = dir.resolve("accounts.properties");
        LocalAccountProperties properties = new LocalAccountProperties(file,
                List.of(new LocalAccountProperties.User("dora", null, List.of("auditor"), "s3cret")), null);
        assertThat(LocalAccounts.passwords(properties, file)).containsExactly(Map.entry("dora", "s3cret"));
        assertThat(file).doesNotExist();
    }

    @Test
    void mapsRealmRolesToAuthorities() {
        LocalAccountProperties properties = new LocalAccountProperties(dir.resolve("a"),
                List.of(new LocalAccountProperties.User("dora", null, List.of("model-approver", "auditor"), "pw")), null);
        var users = LocalAccounts.userDetails(properties, dir.resolve("a"),
                PasswordEncoderFactories.createDelegatingPasswordEncoder());
        assertThat(users.loadUserByUsername("dora").getAuthorities()).extracting(a -> a.getAuthority())
                .containsExactlyInAnyOrder("ROLE_MODEL_APPROVER", "ROLE_AUDITOR");
    }

    @Test
    void refusesAnUnknownRoleWithAClearMessage() {
        LocalAccountProperties properties = new LocalAccountProperties(dir.resolve("a"),
                List.of(new LocalAccountProperties.User("dora", null, List.of("superuser"), "pw")), null);
        assertThatThrownBy(() -> LocalAccounts.userDetails(properties, dir.resolve("a"),
                PasswordEncoderFactories.createDelegatingPasswordEncoder()))
                .hasMessageContaining("unknown role 'superuser'");
    }
}
