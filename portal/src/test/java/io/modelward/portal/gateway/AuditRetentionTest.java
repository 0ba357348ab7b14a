package io.modelward.portal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class AuditRetentionTest {

    @Test
    void refusesARetentionShorterThanSixMonths() {
        assertThatThrownBy(() -> new AuditRetention(new JdbcTemplate(), new AuditRetention.Settings(Duration.ofDays(182), 3)))
                .hasMessage("modelward.audit.retention must be at least 183 days (six months), not 182 days.");
        assertThat(new AuditRetention(new JdbcTemplate(), new AuditRetention.Settings(Duration.ofDays(183), 3)))
                .isNotNull();
    }
}
