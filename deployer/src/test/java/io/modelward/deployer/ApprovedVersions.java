package io.modelward.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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
import io.modelward.governance.Actor;
import io.modelward.governance.Role;
import org.springframework.stereotype.Component;

/** Puts the committed digits model through the real catalog: registered, uploaded, submitted and approved. */
@Component
class ApprovedVersions {

    static final Path DIGITS = Path.of(System.getProperty("modelward.models.dir", "../tools/models")).resolve("digits");
    static final Actor ALICE = Actor.of("alice", Role.RESEARCHER);
    static final Actor ERIN = Actor.of("erin", Role.RESEARCHER);
    static final Actor BOB = Actor.of("bob", Role.MODEL_APPROVER);
    static final Actor CAROL = Actor.of("carol", Role.AUDITOR);
    static final Actor ADMIN = Actor.of("admin", Role.ADMIN);
    private static final AtomicInteger counter = new AtomicInteger();

    private final CatalogService catalog;
    private final ArtifactService artifacts;

    ApprovedVersions(CatalogService catalog, ArtifactService artifacts) {
        this.catalog = catalog;
        this.artifacts = artifacts;
    }

    /** A fresh model with version 1.0 of the digits CNN, approved by bob. Returns the model's name. */
    String digits(Actor owner) {
        String name = draft(owner);
        catalog.submit(owner, name, "1.0");
        catalog.approve(BOB, name, "1.0", "digits for the deployer tests");
        return name;
    }

    /** The same, exported to ONNX (tools/models/digits/digits.onnx). */
    String digitsOnnx(Actor owner) {
        String name = draft(owner, ModelFormat.ONNX, "digits.onnx");
        catalog.submit(owner, name, "1.0");
        catalog.approve(BOB, name, "1.0", "digits as ONNX for the deployer tests");
        return name;
    }

    String draft(Actor owner) {
        return draft(owner, ModelFormat.TORCHSCRIPT, "digits.pt");
    }

    private String draft(Actor owner, ModelFormat format, String modelFile) {
        String name = "digits-" + System.nanoTime() % 100_000 + "-" + counter.incrementAndGet();
        catalog.registerModel(owner, new RegisterModel(name, "Digits", Task.IMAGE_CLASSIFICATION, "8×8 digits"));
        catalog.registerVersion(owner, name, new RegisterVersion("1.0", format, "MIT",
                new Provenance(SourceType.UPLOAD, null, null, null, null, null, "ModelWard", null),
                new ImageInputSpec(8, 8, true, List.of(0.0), List.of(1.0))));
        upload(owner, name, ArtifactKind.MODEL, modelFile);
        upload(owner, name, ArtifactKind.LABELS, "synset.txt");
        return name;
    }

    private void upload(Actor owner, String model, ArtifactKind kind, String file) {
        try (InputStream in = Files.newInputStream(DIGITS.resolve(file))) {
            artifacts.upload(owner, model, "1.0", kind, file, null, Files.size(DIGITS.resolve(file)), in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
