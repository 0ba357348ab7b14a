package io.modelward.portal.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.modelward.catalog.ArtifactKind;
import io.modelward.catalog.ArtifactService;
import io.modelward.catalog.CatalogService;
import io.modelward.catalog.ImageInputSpec;
import io.modelward.catalog.ModelFormat;
import io.modelward.catalog.Provenance;
import io.modelward.catalog.RegisterModel;
import io.modelward.catalog.RegisterVersion;
import io.modelward.catalog.SourceType;
import io.modelward.catalog.Task;
import io.modelward.deployer.CreateDeployment;
import io.modelward.deployer.DeploymentService;
import io.modelward.deployer.DeploymentTarget;
import io.modelward.governance.Actor;
import io.modelward.governance.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives a newcomer something to try at once: on the first start of the embedded default, registers the digits CNN
 * that ships with ModelWard (trained by {@code tools/models/train_digits.py}), has it approved and deploys it locally,
 * so the Try-it page and the inference API answer within seconds.
 *
 * <p>It goes through the same services as a person would, so the catalog, the four-eyes rule, the governance chain
 * and the deployer all apply. Two named system actors play the researcher and the approver; their reasons say so.
 * It all happens in one transaction and only while no model of its name exists: a deleted or retired demo stays
 * that way, and a restart never seeds twice. On by default only in the embedded default
 * ({@code modelward.demo.enabled}); the {@code keycloak} profile turns it off.
 */
@Component
public class DemoSeed {

    public static final String MODEL = "demo-digits";
    public static final String VERSION = "1.0";
    static final Actor SUBMITTER = new Actor("system:demo-seed", "ModelWard demo seed", Set.of(Role.RESEARCHER));
    static final Actor APPROVER = new Actor("system:demo-approval", "ModelWard demo approval",
            Set.of(Role.MODEL_APPROVER));

    private static final Logger log = LoggerFactory.getLogger(DemoSeed.class);

    private final boolean enabled;
    private final CatalogService catalog;
    private final ArtifactService artifacts;
    private final DeploymentService deployments;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    DemoSeed(@Value("${modelward.demo.enabled:false}") boolean enabled, CatalogService catalog,
            ArtifactService artifacts, DeploymentService deployments, JdbcClient jdbc, TransactionTemplate transactions) {
        this.enabled = enabled;
        this.catalog = catalog;
        this.artifacts = artifacts;
        this.deployments = deployments;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @EventListener
    @Order(0)
    void ready(ApplicationReadyEvent event) {
        if (enabled && seed()) {
            log.info("Seeded the demo model '{}' {} and deployed it locally: try it at /deployments/{}/try", MODEL,
                    VERSION, MODEL);
        }
    }

    /** Registers, approves and deploys the demo model unless a model of its name exists; true when it did. */
    public boolean seed() {
        Boolean seeded = transactions.execute(status -> {
            if (jdbc.sql("SELECT count(*) FROM model WHERE name = ?").param(MODEL).query(Long.class).single() > 0) {
                return false;
            }
            catalog.registerModel(SUBMITTER, new RegisterModel(MODEL, "Demo: handwritten digits (8×8 CNN)",
                    Task.IMAGE_CLASSIFICATION, "A small convolutional network for scikit-learn's 8×8 handwritten "
                            + "digits, shipped with ModelWard so there is something to try. Not for clinical use."));
            catalog.registerVersion(SUBMITTER, MODEL, new RegisterVersion(VERSION, ModelFormat.TORCHSCRIPT, "MIT",
                    new Provenance(SourceType.GITHUB, "https://github.com/modelward/modelward", "tools/models",
                            Instant.now(), SUBMITTER.subject(), null, "ModelWard",
                            "# Demo digits CNN\n\nTrained by `tools/models/train_digits.py` on scikit-learn's bundled "
                                    + "8×8 digits with a fixed seed.\n\n**Intended use:** trying ModelWard. "
                                    + "**Not** a medical device."),
                    new ImageInputSpec(8, 8, true, List.of(0.0), List.of(1.0))));
            upload(ArtifactKind.MODEL, "digits.pt");
            upload(ArtifactKind.LABELS, "synset.txt");
            catalog.submit(SUBMITTER, MODEL, VERSION);
            catalog.approve(APPROVER, MODEL, VERSION, "Demo model shipped with ModelWard and seeded at the first "
                    + "start of the embedded default; approved for trying the platform, not for clinical use.");
            deployments.create(SUBMITTER, new CreateDeployment(MODEL, MODEL, VERSION, DeploymentTarget.LOCAL, null,
                    1, 1, null, null, null, null, null, null, null));
            return true;
        });
        return Boolean.TRUE.equals(seeded);
    }

    private void upload(ArtifactKind kind, String file) {
        ClassPathResource resource = new ClassPathResource("demo/digits/" + file);
        try (InputStream in = resource.getInputStream()) {
            artifacts.upload(SUBMITTER, MODEL, VERSION, kind, file, null, resource.contentLength(), in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The demo model's " + file + " is missing from the portal jar", ex);
        }
    }
}
