package io.modelward.governance;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Writes governance events to {@code governance_event}, inside the transaction of the action it records. */
@Component
class JdbcAuditLog implements AuditLog {

    private final JdbcClient jdbc;

    JdbcAuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(GovernanceEvent event) {
        jdbc.sql("""
                INSERT INTO governance_event (actor, action, model, version, deployment, detail)
                VALUES (:actor, :action, :model, :version, :deployment, :detail)""")
                .param("actor", event.actor().subject())
                .param("action", event.action().name())
                .param("model", event.model())
                .param("version", event.version())
                .param("deployment", event.deployment())
                .param("detail", event.detail() == null || event.detail().length() <= 4000 ? event.detail()
                        : event.detail().substring(0, 3999) + "…")
                .update();
    }
}
