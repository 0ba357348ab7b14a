package io.modelward.portal.gateway;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the audit table's monthly partitions ahead of time and drops whole partitions past the retention, at start
 * and every night. Single rows are never deleted (the table refuses it); retention below 183 days (six months, the
 * EU AI Act's minimum for logs of high-risk systems) is refused at start.
 */
@Component
class AuditRetention {

    static final Duration MINIMUM = Duration.ofDays(183);

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final JdbcTemplate jdbc;
    private final Settings settings;

    AuditRetention(JdbcTemplate jdbc, Settings settings) {
        if (settings.retention().compareTo(MINIMUM) < 0) {
            throw new IllegalStateException("modelward.audit.retention must be at least 183 days (six months), not "
                    + settings.retention().toDays() + " days.");
        }
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /**
     * @param retention how long audit rows are kept; whole months older than this are dropped
     * @param monthsAhead how many monthly partitions exist beyond the current one
     */
    @ConfigurationProperties("modelward.audit")
    record Settings(@DefaultValue("400d") Duration retention, @DefaultValue("3") int monthsAhead) {
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        maintain();
    }

    @Scheduled(cron = "${modelward.audit.maintenance-cron:0 17 3 * * *}")
    void maintain() {
        Integer created = jdbc.queryForObject("SELECT audit_ensure_partitions(?)", Integer.class, settings.monthsAhead());
        List<String> dropped = jdbc.queryForList(
                "SELECT audit_drop_partitions_before(now() - make_interval(days => ?))", String.class,
                (int) settings.retention().toDays());
        if ((created != null && created > 0) || !dropped.isEmpty()) {
            log.info("Audit partitions: {} created ahead; dropped past the {}-day retention: {}", created,
                    settings.retention().toDays(), dropped);
        }
    }
}
