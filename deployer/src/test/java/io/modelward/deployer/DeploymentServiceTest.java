package io.modelward.deployer;

import static io.modelward.deployer.ApprovedVersions.ADMIN;
import static io.modelward.deployer.ApprovedVersions.ALICE;
import static io.modelward.deployer.ApprovedVersions.BOB;
import static io.modelward.deployer.ApprovedVersions.CAROL;
import static io.modelward.deployer.ApprovedVersions.ERIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.modelward.catalog.CatalogService;
import io.modelward.governance.ProblemException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Deployment specs, permissions and the audit, on the real catalog and database (no runtime is started here). */
@SpringBootTest
class DeploymentServiceTest {

    @Autowired
    DeploymentService deployments;

    @Autowired
    ApprovedVersions versions;

    @Autowired
    CatalogService catalog;

    @Autowired
    JdbcClient jdbc;

    @Test
    void refusesEachBadSpecWithItsReasonAndCreatesNothing() {
        String model = versions.digits(ALICE);
        long before = count();
        expectInvalid(request("Bad_Name", model, "1.0", 1, 1, null, null), "must be a DNS label");
        expectInvalid(request("x".repeat(64), model, "1.0", 1, 1, null, null), "must be a DNS label");
        expectInvalid(request("too-many", model, "1.0", 3, 2, null, null), "Min replicas (3) must not exceed max replicas (2)");
        expectInvalid(request("zero-min", model, "1.0", 0, 2, null, null), "Min replicas must be at least 1");
        expectInvalid(request("small-limit", model, "1.0", 1, 1, "1", "500m"), "The CPU limit (500m) is below the CPU request (1)");
        expectInvalid(request("not-quantity", model, "1.0", 1, 1, "lots", "2"), "'lots' is not a positive Kubernetes quantity");
        expectInvalid(new CreateDeployment("mem", model, "1.0", null, null, 1, 1, null, null, null, null, null, "2Gi",
                "1Gi"), "The memory limit (1Gi) is below the memory request (2Gi)");
        expectInvalid(new CreateDeployment("idle", model, "1.0", null, null, 1, 1, ScaleMetric.CPU, 150, -1, null,
                null, null, null), "The CPU target must be between 1 and 100 %, not 150. The idle time");
        assertThatThrownBy(() -> deployments.create(ALICE, request("ghost", "no-such-model", "1.0", 1, 1, null, null)))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.getMessage())
                        .contains("There is no version '1.0' of model 'no-such-model'"));
        String draft = versions.draft(ALICE);
        assertThatThrownBy(() -> deployments.create(ALICE, request("draft", draft, "1.0", 1, 1, null, null)))
                .hasMessageContaining("Only APPROVED versions deploy; " + draft + " 1.0 is DRAFT.");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void refusesADuplicateName() {
        String model = versions.digits(ALICE);
        String name = "dup-" + System.nanoTime() % 100_000;
        deployments.create(ALICE, stopped(name, model));
        long before = count();
        assertThatThrownBy(() -> deployments.create(ERIN, stopped(name, model)))
                .hasMessageContaining("A deployment named '" + name + "' exists already");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void letsResearchersManageTheirOwnDeploymentsAndAdminsAll() {
        String model = versions.digits(ALICE);
        String name = "own-" + System.nanoTime() % 100_000;
        assertThatThrownBy(() -> deployments.create(BOB, stopped(name, model)))
                .hasMessageContaining("Only researchers and admins deploy models.");
        assertThatThrownBy(() -> deployments.create(CAROL, stopped(name, model)))
                .hasMessageContaining("Only researchers and admins deploy models.");
        deployments.create(ALICE, stopped(name, model));
        deployments.stop(ALICE, name);
        assertThatThrownBy(() -> deployments.scale(ERIN, name, 1, 2)).hasMessageContaining("Only the owner");
        assertThatThrownBy(() -> deployments.start(BOB, name)).hasMessageContaining("Only the owner");
        assertThatThrownBy(() -> deployments.delete(ERIN, name)).hasMessageContaining("Only the owner");
        assertThat(deployments.scale(ADMIN, name, 1, 3).spec().maxReplicas()).isEqualTo(3);
        assertThatThrownBy(() -> deployments.scale(ALICE, name, 4, 3)).hasMessageContaining("must not exceed");
        deployments.delete(ALICE, name);
        assertThatThrownBy(() -> deployments.view(name)).hasMessageContaining("There is no deployment named");
    }

    @Test
    void auditsEveryActionWithTheDeploymentsName() {
        String model = versions.digits(ALICE);
        String name = "audited-" + System.nanoTime() % 100_000;
        deployments.create(ALICE, stopped(name, model));
        deployments.stop(ALICE, name);
        deployments.scale(ALICE, name, 1, 2);
        deployments.delete(ADMIN, name);
        assertThat(jdbc.sql("SELECT actor_subject || ':' || action FROM audit_event WHERE deployment = :d ORDER BY seq")
                .param("d", name).query(String.class).list()).containsExactly("alice:DEPLOYMENT_CREATED",
                        "alice:DEPLOYMENT_STOPPED", "alice:DEPLOYMENT_SCALED", "admin:DEPLOYMENT_DELETED");
    }

    @Test
    void stopsTheDeploymentsOfARetiredVersion() {
        String model = versions.digits(ALICE);
        String name = "retiring-" + System.nanoTime() % 100_000;
        deployments.create(ALICE, stopped(name, model));
        deployments.stop(ALICE, name);
        deployments.start(ALICE, name);
        catalog.retire(ALICE, model, "1.0", "superseded");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            DeploymentView view = deployments.view(name);
            assertThat(view.spec().desiredState()).isEqualTo(DesiredState.STOPPED);
            assertThat(view.events()).anySatisfy(e -> assertThat(e.message()).contains("is RETIRED: stopped."));
        });
        assertThatThrownBy(() -> deployments.start(ALICE, name)).hasMessageContaining("is RETIRED");
        deployments.delete(ALICE, name);
    }

    private void expectInvalid(CreateDeployment request, String message) {
        assertThatThrownBy(() -> deployments.create(ALICE, request)).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.getMessage()).contains(message));
    }

    private long count() {
        return jdbc.sql("SELECT count(*) FROM deployment").query(Long.class).single();
    }

    /** A deployment on Kubernetes, which these tests do not configure: no replica ever starts. */
    private static CreateDeployment stopped(String name, String model) {
        return new CreateDeployment(name, model, "1.0", DeploymentTarget.KUBERNETES, null, 1, 1, null, null, null,
                null, null, null, null);
    }

    private static CreateDeployment request(String name, String model, String version, int min, int max,
            String cpuRequest, String cpuLimit) {
        return new CreateDeployment(name, model, version, DeploymentTarget.LOCAL, null, min, max, null, null, null,
                cpuRequest, cpuLimit, null, null);
    }
}
