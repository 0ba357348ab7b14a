package io.modelward.deployer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code deployment} and {@code deployment_event} tables. */
@Repository
class DeploymentRepository {

    private static final String SELECT = """
            SELECT d.*, m.name AS model_name, v.version_label, v.state AS version_state
            FROM deployment d JOIN model_version v ON v.id = d.version_id JOIN model m ON m.id = v.model_id
            """;

    private final JdbcClient jdbc;

    DeploymentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A deployment row with the state of its model version. */
    record Row(long id, DeploymentSpec spec, String versionState, String owner, Instant createdAt, ObservedState status,
            int readyReplicas, int desiredReplicas, @Nullable String endpoint, @Nullable String message,
            @Nullable Instant observedAt) {
    }

    Optional<Long> approvedVersionId(String model, String version) {
        return jdbc.sql("""
                SELECT v.id FROM model_version v JOIN model m ON m.id = v.model_id
                WHERE m.name = :model AND v.version_label = :version AND v.state = 'APPROVED'
                FOR SHARE OF v""")
                .param("model", model).param("version", version).query(Long.class).optional();
    }

    Optional<String> versionState(String model, String version) {
        return jdbc.sql("""
                SELECT v.state FROM model_version v JOIN model m ON m.id = v.model_id
                WHERE m.name = :model AND v.version_label = :version""")
                .param("model", model).param("version", version).query(String.class).optional();
    }

    boolean exists(String name) {
        return jdbc.sql("SELECT count(*) FROM deployment WHERE name = :name").param("name", name)
                .query(Integer.class).single() > 0;
    }

    long insert(DeploymentSpec spec, long versionId, String owner) {
        return jdbc.sql("""
                INSERT INTO deployment (name, version_id, target, namespace, min_replicas, max_replicas, scale_metric,
                    scale_target, idle_seconds, cpu_request, cpu_limit, memory_request, memory_limit, desired_state,
                    owner, status)
                VALUES (:name, :versionId, :target, :namespace, :min, :max, :metric, :scaleTarget, :idle, :cpuRequest,
                    :cpuLimit, :memoryRequest, :memoryLimit, :desired, :owner, 'PENDING')
                RETURNING id""")
                .param("name", spec.name()).param("versionId", versionId).param("target", spec.target().name())
                .param("namespace", spec.namespace()).param("min", spec.minReplicas())
                .param("max", spec.maxReplicas()).param("metric", spec.metric().name())
                .param("scaleTarget", spec.scaleTarget()).param("idle", spec.idleSeconds())
                .param("cpuRequest", spec.resources().cpuRequest()).param("cpuLimit", spec.resources().cpuLimit())
                .param("memoryRequest", spec.resources().memoryRequest())
                .param("memoryLimit", spec.resources().memoryLimit())
                .param("desired", spec.desiredState().name()).param("owner", owner)
                .query(Long.class).single();
    }

    Optional<Row> find(String name) {
        return jdbc.sql(SELECT + " WHERE d.name = :name").param("name", name).query(DeploymentRepository::row).optional();
    }

    Optional<Row> findForUpdate(String name) {
        return jdbc.sql(SELECT + " WHERE d.name = :name FOR UPDATE OF d").param("name", name)
                .query(DeploymentRepository::row).optional();
    }

    List<Row> findAll() {
        return jdbc.sql(SELECT + " ORDER BY d.name").query(DeploymentRepository::row).list();
    }

    List<Row> findByVersion(String model, String version) {
        return jdbc.sql(SELECT + " WHERE m.name = :model AND v.version_label = :version ORDER BY d.name")
                .param("model", model).param("version", version).query(DeploymentRepository::row).list();
    }

    void updateScale(long id, int min, int max) {
        jdbc.sql("UPDATE deployment SET min_replicas = :min, max_replicas = :max, row_version = row_version + 1 "
                + "WHERE id = :id").param("min", min).param("max", max).param("id", id).update();
    }

    void updateDesiredState(long id, DesiredState state) {
        jdbc.sql("UPDATE deployment SET desired_state = :state, row_version = row_version + 1 WHERE id = :id")
                .param("state", state.name()).param("id", id).update();
    }

    void updateObserved(long id, Observation observation) {
        jdbc.sql("""
                UPDATE deployment SET status = :status, ready_replicas = :ready, desired_replicas = :desired,
                    endpoint = :endpoint, message = :message, observed_at = now()
                WHERE id = :id""")
                .param("status", observation.state().name()).param("ready", observation.readyReplicas())
                .param("desired", observation.desiredReplicas()).param("endpoint", observation.endpoint())
                .param("message", truncate(observation.message())).param("id", id).update();
    }

    /** Local replicas die with the portal: at start, what was observed of them is history. */
    int resetLocalObservations() {
        return jdbc.sql("""
                UPDATE deployment SET status = 'PENDING', ready_replicas = 0, endpoint = NULL,
                    message = 'The portal restarted; starting its local replicas again.', observed_at = now()
                WHERE target = 'LOCAL' AND status <> 'STOPPED'""").update();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM deployment WHERE id = :id").param("id", id).update();
    }

    void addEvent(long deploymentId, String actor, String kind, String message) {
        jdbc.sql("INSERT INTO deployment_event (deployment_id, actor, kind, message) VALUES (:id, :actor, :kind, :message)")
                .param("id", deploymentId).param("actor", actor).param("kind", kind).param("message", truncate(message))
                .update();
    }

    List<DeploymentEvent> events(long deploymentId, int limit) {
        return jdbc.sql("""
                SELECT * FROM (SELECT at, actor, kind, message, id FROM deployment_event WHERE deployment_id = :id
                               ORDER BY at DESC, id DESC LIMIT :limit) e ORDER BY at, id""")
                .param("id", deploymentId).param("limit", limit)
                .query((rs, n) -> new DeploymentEvent(rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                        rs.getString("kind"), rs.getString("message")))
                .list();
    }

    private static @Nullable String truncate(@Nullable String text) {
        return text == null || text.length() <= 4000 ? text : text.substring(0, 3999) + "…";
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        DeploymentSpec spec = new DeploymentSpec(rs.getString("name"), rs.getString("model_name"),
                rs.getString("version_label"), DeploymentTarget.valueOf(rs.getString("target")),
                rs.getString("namespace"), rs.getInt("min_replicas"), rs.getInt("max_replicas"),
                ScaleMetric.valueOf(rs.getString("scale_metric")), rs.getInt("scale_target"),
                rs.getInt("idle_seconds"), new Resources(rs.getString("cpu_request"), rs.getString("cpu_limit"),
                        rs.getString("memory_request"), rs.getString("memory_limit")),
                DesiredState.valueOf(rs.getString("desired_state")));
        Timestamp observed = rs.getTimestamp("observed_at");
        return new Row(rs.getLong("id"), spec, rs.getString("version_state"), rs.getString("owner"),
                rs.getTimestamp("created_at").toInstant(), ObservedState.valueOf(rs.getString("status")),
                rs.getInt("ready_replicas"), rs.getInt("desired_replicas"), rs.getString("endpoint"),
                rs.getString("message"), observed == null ? null : observed.toInstant());
    }
}
