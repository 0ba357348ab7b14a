package io.modelward.portal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import io.modelward.catalog.ArtifactKind;
import io.modelward.catalog.CatalogQueries;
import io.modelward.catalog.VersionDetails;
import io.modelward.catalog.VersionState;
import io.modelward.deployer.DeploymentService;
import io.modelward.deployer.DeploymentTarget;
import io.modelward.deployer.DeploymentView;
import io.modelward.portal.PortalTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The demo model of the embedded default: seeded once, through the same governance as everyone else's models. */
@PortalTest
class DemoSeedTest {

    @Autowired
    DemoSeed seed;

    @Autowired
    CatalogQueries catalog;

    @Autowired
    DeploymentService deployments;

    @Autowired
    JdbcClient jdbc;

    @Test
    void seedsTheShippedDigitsModelApprovedByASecondActorAndDeployedOnlyOnce() throws Exception {
        assertThat(seed.seed()).as("first start").isTrue();
        assertThat(seed.seed()).as("a restart seeds nothing").isFalse();

        VersionDetails version = catalog.version(DemoSeed.MODEL, DemoSeed.VERSION);
        assertThat(version.state()).isEqualTo(VersionState.APPROVED);
        assertThat(version.license()).isEqualTo("MIT");
        assertThat(version.submittedBy()).isEqualTo("system:demo-seed");
        assertThat(version.decidedBy()).as("four eyes").isEqualTo("system:demo-approval");
        assertThat(version.artifact(ArtifactKind.MODEL).orElseThrow().sha256()).as("the committed model, byte for byte")
                .isEqualTo(sha256(Path.of("../tools/models/digits/digits.pt")));
        assertThat(version.artifact(ArtifactKind.LABELS)).isPresent();

        DeploymentView deployment = deployments.view(DemoSeed.MODEL);
        assertThat(deployment.spec().target()).isEqualTo(DeploymentTarget.LOCAL);
        assertThat(deployment.spec().model()).isEqualTo(DemoSeed.MODEL);

        List<String> trail = jdbc.sql("SELECT action || ' by ' || actor_subject FROM audit_event"
                + " WHERE chain_id = 'governance' AND model = ? ORDER BY seq").param(DemoSeed.MODEL)
                .query(String.class).list();
        assertThat(trail).contains("VERSION_SUBMITTED by system:demo-seed", "VERSION_APPROVED by system:demo-approval",
                "DEPLOYMENT_CREATED by system:demo-seed");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
