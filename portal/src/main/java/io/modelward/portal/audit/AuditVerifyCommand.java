package io.modelward.portal.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.modelward.governance.AuditVerifier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auditors' command: {@code java -jar modelward-portal-exec.jar verify-audit [--name=value ...]} recomputes every
 * hash chain of the audit trail straight from the database, independently of a running portal, and reports the first
 * broken link. It reads the same settings as the portal (application.properties, environment, arguments): the
 * external database of {@code spring.datasource.*}, or else the embedded default's PostgreSQL while the portal runs
 * (found through its {@code postmaster.pid}). It only reads, in one read-only transaction, streaming the rows.
 *
 * <p>Exit codes: 0 intact, 1 broken, 2 the database could not be reached or read.
 */
public final class AuditVerifyCommand {

    public static final String NAME = "verify-audit";

    private AuditVerifyCommand() {
    }

    /** Runs the check and returns the exit code; what it found goes to {@code out}, problems to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Environment environment;
        try (ConfigurableApplicationContext settings = new SpringApplicationBuilder(SettingsOnly.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false).run(args)) {
            environment = settings.getEnvironment();
            DriverManagerDataSource database = dataSource(environment);
            JdbcTemplate jdbc = new JdbcTemplate(database);
            TransactionTemplate readOnly = new TransactionTemplate(new DataSourceTransactionManager(database));
            readOnly.setReadOnly(true);
            AuditVerifier.Result result = readOnly.execute(status -> new AuditVerifier(jdbc).verify());
            report(result, database.getUrl(), out);
            return result.intact() ? 0 : 1;
        }
        catch (IllegalStateException ex) {
            err.println("verify-audit: " + ex.getMessage());
            return 2;
        }
        catch (RuntimeException ex) {
            err.println("verify-audit: the audit trail could not be read: " + rootMessage(ex));
            return 2;
        }
    }

    private static void report(AuditVerifier.@Nullable Result result, @Nullable String url, PrintStream out) {
        if (result == null) {
            throw new IllegalStateException("no result");
        }
        out.println("Audit trail in " + url + ": " + result.rows() + " rows in " + result.chains() + " chains.");
        AuditVerifier.Break broken = result.firstBreak();
        if (broken == null) {
            out.println("INTACT: every row's hash matches its content and the previous row's hash.");
        }
        else {
            out.println("BROKEN: chain " + broken.chainId() + ", row " + broken.seq() + ": " + broken.reason() + ".");
        }
        result.notes().forEach(note -> out.println("Note: " + note));
    }

    /** The external database, or the embedded default's running PostgreSQL. */
    private static DriverManagerDataSource dataSource(Environment environment) {
        String url = environment.getProperty("spring.datasource.url");
        if (url != null && !url.isBlank()) {
            return new DriverManagerDataSource(url, environment.getProperty("spring.datasource.username", ""),
                    environment.getProperty("spring.datasource.password", ""));
        }
        String embedded = environment.getProperty("modelward.database.embedded.data-dir");
        Path dataDir = embedded != null && !embedded.isBlank() ? Path.of(embedded)
                : Path.of(environment.getRequiredProperty("modelward.data-dir")).resolve("postgres");
        Path pidFile = dataDir.resolve("postmaster.pid");
        List<String> pid;
        try {
            pid = Files.readAllLines(pidFile);
        }
        catch (IOException ex) {
            throw new IllegalStateException("no database to check: set spring.datasource.url, or start the portal so "
                    + "that its embedded PostgreSQL runs (" + pidFile + " is missing)");
        }
        if (pid.size() < 4 || ProcessHandle.of(Long.parseLong(pid.getFirst().strip())).isEmpty()) {
            throw new IllegalStateException("the embedded PostgreSQL of " + dataDir + " is not running: start the "
                    + "portal, or set spring.datasource.url");
        }
        return new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + pid.get(3).strip() + "/postgres",
                "postgres", "");
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Only the settings: no beans, no database, no web server (and not a configuration class the portal scans). */
    static class SettingsOnly {
    }
}
