package io.modelward.catalog;

import static io.modelward.catalog.Fixtures.ADMIN;
import static io.modelward.catalog.Fixtures.ALICE;
import static io.modelward.catalog.Fixtures.BOB;
import static io.modelward.catalog.Fixtures.CAROL;
import static io.modelward.catalog.Fixtures.DAN;
import static io.modelward.catalog.Fixtures.ERIN;
import static io.modelward.catalog.Fixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import io.modelward.CatalogTestApplication;
import io.modelward.catalog.license.LicenseVerdict;
import io.modelward.governance.Actor;
import io.modelward.governance.ProblemException;
import jakarta.validation.ConstraintViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest(classes = CatalogTestApplication.class)
class CatalogServiceTest {

    @Autowired
    CatalogService catalog;

    @Autowired
    ArtifactService artifacts;

    @Autowired
    CatalogQueries queries;

    @Autowired
    JdbcClient jdbc;

    byte[] lastModelFile;

    @Test
    void walksAVersionFromDraftToApprovedAndStoresEveryTransition() throws IOException {
        String name = draftWithModelFile(ALICE, "MIT");
        catalog.submit(ALICE, name, "1.0");
        VersionDetails approved = catalog.approve(BOB, name, "1.0", "Permissive license, card reviewed");

        assertThat(approved.state()).isEqualTo(VersionState.APPROVED);
        assertThat(approved.licenseVerdict()).isEqualTo(LicenseVerdict.ALLOWED);
        assertThat(approved.submittedBy()).isEqualTo("alice");
        assertThat(approved.decidedBy()).isEqualTo("bob");
        assertThat(approved.history()).extracting(TransitionInfo::to, TransitionInfo::actor).containsExactly(
                org.assertj.core.groups.Tuple.tuple(VersionState.DRAFT, "alice"),
                org.assertj.core.groups.Tuple.tuple(VersionState.SUBMITTED, "alice"),
                org.assertj.core.groups.Tuple.tuple(VersionState.APPROVED, "bob"));
        assertThat(approved.history().get(2).reason()).isEqualTo("Permissive license, card reviewed");
        assertThat(approved.history().get(2).licenseVerdict()).isEqualTo(LicenseVerdict.ALLOWED);
        assertThat(governanceActions(name)).containsExactly("MODEL_REGISTERED", "VERSION_REGISTERED",
                "ARTIFACT_UPLOADED", "VERSION_SUBMITTED", "VERSION_APPROVED");
    }

    @Test
    void keepsProvenanceAndInputSpecAsRegistered() throws IOException {
        String name = draftWithModelFile(ALICE, "Apache-2.0");
        VersionDetails v = queries.version(name, "1.0");
        assertThat(v.provenance().sourceType()).isEqualTo(SourceType.HUGGING_FACE);
        assertThat(v.provenance().sourceUri()).isEqualTo("https://huggingface.co/acme/digits");
        assertThat(v.provenance().revision()).isEqualTo("3f2a9c1");
        assertThat(v.provenance().modelCard()).startsWith("# Digits");
        assertThat(v.input().imageSize()).isEqualTo(8);
        assertThat(v.input().mean()).containsExactly(0.5);
        assertThat(v.artifact(ArtifactKind.MODEL)).get().extracting(ArtifactInfo::sha256)
                .isEqualTo(Fixtures.sha256(lastModelFile));
    }

    @Test
    void refusesTheSubmitterAsApproverEvenWhenSheIsAnApprover() throws IOException {
        String name = draftWithModelFile(MALLORY, "MIT");
        catalog.submit(MALLORY, name, "1.0");
        assertProblem(() -> catalog.approve(MALLORY, name, "1.0", "looks good to me"), 403, "Four eyes");
        assertProblem(() -> catalog.reject(MALLORY, name, "1.0", "changed my mind"), 403, "Four eyes");
        assertThat(queries.version(name, "1.0").state()).isEqualTo(VersionState.SUBMITTED);
    }

    @Test
    void refusesAnApproverWhoUploadedAFileOfTheVersion() throws IOException {
        String name = Fixtures.uniqueName("m");
        catalog.registerModel(ALICE, Fixtures.model(name));
        catalog.registerVersion(ALICE, name, Fixtures.version("1.0", "MIT"));
        byte[] model = Fixtures.torchScript();
        artifacts.upload(Fixtures.BOSS, name, "1.0", ArtifactKind.MODEL, "m.pt", null, model.length,
                new ByteArrayInputStream(model));
        catalog.submit(ALICE, name, "1.0");
        assertProblem(() -> catalog.approve(Fixtures.BOSS, name, "1.0", "looks fine to me"), 403, "uploaded to");
        assertThat(catalog.approve(BOB, name, "1.0", "checked").state()).isEqualTo(VersionState.APPROVED);
    }

    @Test
    void refusesAReasonLongerThanTheAuditTrailKeeps() throws IOException {
        String name = draftWithModelFile(ALICE, "MIT");
        catalog.submit(ALICE, name, "1.0");
        String essay = "x".repeat(CatalogService.MAX_REASON + 1);
        assertProblem(() -> catalog.reject(BOB, name, "1.0", essay), 400, "at most 3800 characters");
        assertProblem(() -> catalog.approve(BOB, name, "1.0", essay), 400, "at most 3800 characters");
        assertThat(catalog.reject(BOB, name, "1.0", "y".repeat(CatalogService.MAX_REASON)).state())
                .isEqualTo(VersionState.REJECTED);
    }

    @Test
    void refusesApprovalOfADeniedLicenseWhateverTheReason() throws IOException {
        String name = draftWithModelFile(ALICE, "LicenseRef-Proprietary");
        catalog.submit(ALICE, name, "1.0");
        assertProblem(() -> catalog.approve(BOB, name, "1.0", "The vendor said it is fine for hospitals"), 409,
                "DENIED");
        assertThat(queries.version(name, "1.0").state()).isEqualTo(VersionState.SUBMITTED);
        assertThat(catalog.reject(BOB, name, "1.0", "No license to run it").state()).isEqualTo(VersionState.REJECTED);
    }

    @Test
    void requiresAWrittenJustificationForALicenseUnderReview() throws IOException {
        String name = draftWithModelFile(ALICE, "CC-BY-NC-4.0");
        catalog.submit(ALICE, name, "1.0");
        assertProblem(() -> catalog.approve(BOB, name, "1.0", null), 400, "justification");
        assertProblem(() -> catalog.approve(BOB, name, "1.0", "ok"), 400, "justification");
        VersionDetails v = catalog.approve(BOB, name, "1.0", "Research use only, no commercial activity: fits NC.");
        assertThat(v.state()).isEqualTo(VersionState.APPROVED);
        assertThat(v.history().getLast().licenseVerdict()).isEqualTo(LicenseVerdict.REVIEW);
    }

    @Test
    void treatsAnUnknownLicenseAsNeedingReview() throws IOException {
        String name = draftWithModelFile(ALICE, "Weird-License-1.0");
        assertThat(queries.version(name, "1.0").licenseVerdict()).isEqualTo(LicenseVerdict.REVIEW);
    }

    @ParameterizedTest
    @EnumSource(VersionState.class)
    void refusesEveryTransitionTheStateMachineDoesNotAllow(VersionState from) throws IOException {
        String name = versionIn(from);
        for (VersionState to : VersionState.values()) {
            if (from.canMoveTo(to) || to == VersionState.DRAFT) {
                continue;
            }
            assertProblem(() -> move(name, to), 409, "is " + from);
            assertThat(queries.version(name, "1.0").state()).isEqualTo(from);
        }
    }

    @Test
    void refusesSubmissionWithoutAModelFile() {
        String name = Fixtures.uniqueName("empty");
        catalog.registerModel(ALICE, Fixtures.model(name));
        catalog.registerVersion(ALICE, name, Fixtures.version("1.0", "MIT"));
        assertProblem(() -> catalog.submit(ALICE, name, "1.0"), 409, "Upload the model file");
    }

    @Test
    void checksEveryRoleOnTheServer() throws IOException {
        String name = draftWithModelFile(ALICE, "MIT");
        assertProblem(() -> catalog.registerModel(BOB, Fixtures.model(Fixtures.uniqueName("x"))), 403, "researchers");
        assertProblem(() -> catalog.registerModel(CAROL, Fixtures.model(Fixtures.uniqueName("x"))), 403, "researchers");
        assertProblem(() -> catalog.registerVersion(ERIN, name, Fixtures.version("2.0", "MIT")), 403, "owner");
        assertProblem(() -> catalog.submit(ERIN, name, "1.0"), 403, "owner");
        assertProblem(() -> catalog.submit(CAROL, name, "1.0"), 403, "owner");
        catalog.submit(ALICE, name, "1.0");
        assertProblem(() -> catalog.approve(ERIN, name, "1.0", "fine"), 403, "approvers");
        assertProblem(() -> catalog.approve(ADMIN, name, "1.0", "fine"), 403, "approvers");
        assertProblem(() -> catalog.approve(CAROL, name, "1.0", "fine"), 403, "approvers");
        catalog.approve(DAN, name, "1.0", "fine");
        assertProblem(() -> catalog.retire(ERIN, name, "1.0", "old"), 403, "retire");
        assertThat(catalog.retire(ADMIN, name, "1.0", "superseded").state()).isEqualTo(VersionState.RETIRED);
    }

    @Test
    void letsAnAdminManageAnotherResearchersModel() throws IOException {
        String name = draftWithModelFile(ALICE, "MIT");
        assertThat(catalog.registerVersion(ADMIN, name, Fixtures.version("2.0", "MIT")).createdBy()).isEqualTo("root");
        assertThat(catalog.submit(ADMIN, name, "1.0").state()).isEqualTo(VersionState.SUBMITTED);
    }

    @Test
    void rejectsDuplicateNamesAndVersions() {
        String name = Fixtures.uniqueName("dup");
        catalog.registerModel(ALICE, Fixtures.model(name));
        assertProblem(() -> catalog.registerModel(ERIN, Fixtures.model(name)), 409, "already exists");
        catalog.registerVersion(ALICE, name, Fixtures.version("1.0", "MIT"));
        assertProblem(() -> catalog.registerVersion(ALICE, name, Fixtures.version("1.0", "MIT")), 409, "already has");
    }

    @Test
    void validatesCommandsBeforeStoringAnything() {
        assertThatThrownBy(() -> catalog.registerModel(ALICE, new RegisterModel("Not_DNS", "x", Task.OTHER, null)))
                .isInstanceOf(ConstraintViolationException.class).hasMessageContaining("lower-case letters");
        String name = Fixtures.uniqueName("val");
        catalog.registerModel(ALICE, Fixtures.model(name));
        RegisterVersion noUri = new RegisterVersion("1.0", ModelFormat.TORCHSCRIPT, "MIT", new Provenance(
                SourceType.GITHUB, null, null, null, null, null, null, null), ImageInputSpec.NONE);
        assertProblem(() -> catalog.registerVersion(ALICE, name, noUri), 400, "source URI");
        RegisterVersion badLicense = new RegisterVersion("1.0", ModelFormat.TORCHSCRIPT, "MIT OR <script>",
                Provenance.uploaded(), ImageInputSpec.NONE);
        assertProblem(() -> catalog.registerVersion(ALICE, name, badLicense), 400, "not an SPDX license id");
        RegisterVersion badStd = new RegisterVersion("1.0", ModelFormat.TORCHSCRIPT, "MIT", Provenance.uploaded(),
                new ImageInputSpec(224, 256, false, List.of(0.4, 0.4, 0.4), List.of(0.2, 0.0, 0.2)));
        assertProblem(() -> catalog.registerVersion(ALICE, name, badStd), 400, "positive");
        assertThat(queries.model(name).versions()).isEmpty();
    }

    @Test
    void filtersTheCatalogByTextTaskVerdictAndState() throws IOException {
        String allowed = draftWithModelFile(ALICE, "MIT");
        String denied = draftWithModelFile(ALICE, "NONE");
        catalog.submit(ALICE, denied, "1.0");

        assertThat(names(new CatalogFilter(allowed, null, null, null))).containsExactly(allowed);
        assertThat(names(new CatalogFilter(null, null, LicenseVerdict.DENIED, null))).contains(denied)
                .doesNotContain(allowed);
        assertThat(names(new CatalogFilter(null, null, null, VersionState.SUBMITTED))).contains(denied)
                .doesNotContain(allowed);
        assertThat(names(new CatalogFilter(null, Task.TABULAR_CLASSIFICATION, null, null))).doesNotContain(allowed,
                denied);
        assertThat(queries.approvalQueue()).extracting(VersionDetails::model).contains(denied).doesNotContain(allowed);
    }

    private List<String> names(CatalogFilter filter) {
        return queries.search(filter).stream().map(ModelSummary::name).toList();
    }

    private String versionIn(VersionState state) throws IOException {
        String name = draftWithModelFile(ALICE, "MIT");
        if (state == VersionState.DRAFT) {
            return name;
        }
        catalog.submit(ALICE, name, "1.0");
        switch (state) {
            case APPROVED -> catalog.approve(BOB, name, "1.0", "fine");
            case REJECTED -> catalog.reject(BOB, name, "1.0", "not fine");
            case RETIRED -> {
                catalog.approve(BOB, name, "1.0", "fine");
                catalog.retire(ALICE, name, "1.0", "old");
            }
            default -> {
            }
        }
        return name;
    }

    private void move(String name, VersionState to) {
        switch (to) {
            case SUBMITTED -> catalog.submit(ALICE, name, "1.0");
            case APPROVED -> catalog.approve(BOB, name, "1.0", "fine");
            case REJECTED -> catalog.reject(BOB, name, "1.0", "not fine");
            case RETIRED -> catalog.retire(ALICE, name, "1.0", "old");
            case DRAFT -> throw new IllegalArgumentException("no way back to DRAFT");
        }
    }

    private String draftWithModelFile(Actor owner, String license) throws IOException {
        String name = Fixtures.uniqueName("m");
        catalog.registerModel(owner, Fixtures.model(name));
        catalog.registerVersion(owner, name, Fixtures.version("1.0", license));
        byte[] model = Fixtures.torchScript();
        lastModelFile = model;
        artifacts.upload(owner, name, "1.0", ArtifactKind.MODEL, "digits.pt", Fixtures.sha256(model), model.length,
                new ByteArrayInputStream(model));
        return name;
    }

    private List<String> governanceActions(String model) {
        return jdbc.sql("SELECT action FROM audit_event WHERE model = ? ORDER BY seq").param(model)
                .query(String.class).list();
    }

    @Test
    void keepsTheImageProcessingOfAVersionWithItsPreset() {
        String name = Fixtures.uniqueName("ocr");
        catalog.registerModel(ALICE, Fixtures.model(name));
        ImageInputSpec spec = new ImageInputSpec(null, null, false, List.of(), List.of(), "text-line-48",
                ImageInputSpec.Color.BGR, ImageInputSpec.Fit.PAD, 320, 48, List.of(2 / 255.0), List.of(-1.0),
                ImageInputSpec.Layout.NCHW, false, 1, null, null);
        catalog.registerVersion(ALICE, name, new RegisterVersion("1.0", ModelFormat.ONNX, "Apache-2.0",
                Provenance.uploaded(), spec));
        assertThat(queries.version(name, "1.0").input()).isEqualTo(spec);
    }

    @Test
    void declaresTheInputShapeOfAPresetWithItsOverrides() {
        String name = Fixtures.uniqueName("ocr-narrow");
        catalog.registerModel(ALICE, Fixtures.model(name));
        catalog.registerVersion(ALICE, name, new RegisterVersion("1.0", ModelFormat.TORCHSCRIPT, "MIT",
                Provenance.uploaded(), new ImageInputSpec(null, null, false, List.of(), List.of(), "text-line-48",
                        null, null, 192, null, List.of(), List.of(), null, null, null, null, null)));
        assertThat(queries.version(name, "1.0").signature().inputs()).containsExactly(new ModelSignature.Tensor(
                "input0", "FP32", List.of(-1L, 3L, 48L, 192L)));
    }

    @Test
    void namesTheTensorsOfATorchScriptModelAsItsUploaderSays() {
        String name = Fixtures.uniqueName("named");
        catalog.registerModel(ALICE, Fixtures.model(name));
        catalog.registerVersion(ALICE, name, new RegisterVersion("1.0", ModelFormat.TORCHSCRIPT, "MIT",
                Provenance.uploaded(), new ImageInputSpec(224, 256, false, List.of(), List.of(), null, null, null,
                        null, null, List.of(), List.of(), null, null, null, "pixel_values", "logits")));
        ModelSignature signature = queries.version(name, "1.0").signature();
        assertThat(signature.inputs()).containsExactly(new ModelSignature.Tensor("pixel_values", "FP32",
                List.of(-1L, 3L, 224L, 224L)));
        assertThat(signature.outputs().getFirst().name()).isEqualTo("logits");
    }

    @Test
    void refusesAnImageProcessingThatContradictsItself() {
        String name = Fixtures.uniqueName("bad");
        catalog.registerModel(ALICE, Fixtures.model(name));
        java.util.function.Function<ImageInputSpec, RegisterVersion> version = spec -> new RegisterVersion("1.0",
                ModelFormat.TORCHSCRIPT, "MIT", Provenance.uploaded(), spec);
        assertProblem(() -> catalog.registerVersion(ALICE, name, version.apply(new ImageInputSpec(224, 256, false,
                List.of(0.5), List.of(0.5), null, null, null, null, null, List.of(0.1), List.of(), null, null, null, null,
                null))),
                400, "not both");
        assertProblem(() -> catalog.registerVersion(ALICE, name, version.apply(new ImageInputSpec(null, null, false,
                List.of(), List.of(), null, null, ImageInputSpec.Fit.PAD, null, 48, List.of(), List.of(), null, null,
                null, null, null))), 400, "needs a width and a height");
        assertProblem(() -> catalog.registerVersion(ALICE, name, version.apply(new ImageInputSpec(null, null, false,
                List.of(), List.of(), "imagenet", null, ImageInputSpec.Fit.STRETCH, 64, null, List.of(), List.of(),
                null, null, null, null, null))), 400, "Fit STRETCH needs a width and a height (preset imagenet gives "
                + "none).");
        assertProblem(() -> catalog.registerVersion(ALICE, name, version.apply(new ImageInputSpec(224, 256, false,
                List.of(0.5, 0.5), List.of(), null, ImageInputSpec.Color.RGB, null, null, null, List.of(), List.of(),
                null, null, null, null, null))), 400, "Give 1 or 3 mean values");
        assertProblem(() -> catalog.registerVersion(ALICE, name, version.apply(new ImageInputSpec(8, 8, true,
                List.of(), List.of(), null, ImageInputSpec.Color.BGR, null, null, null, List.of(), List.of(), null,
                null, null, null, null))), 400, "Grayscale contradicts colour BGR");
        assertProblem(() -> catalog.registerVersion(ALICE, name, new RegisterVersion("1.0", ModelFormat.ONNX, "MIT",
                Provenance.uploaded(), new ImageInputSpec(null, null, false, List.of(), List.of(), "imagenet", null,
                        null, null, null, List.of(), List.of(), null, null, null, "pixel_values", null))), 400,
                "names its own inputs and outputs");
        assertThatThrownBy(() -> catalog.registerVersion(ALICE, name, version.apply(new ImageInputSpec(null, null,
                false, List.of(), List.of(), null, null, null, null, null, List.of(), List.of(), null, null, null,
                "1 bad name", null)))).isInstanceOf(jakarta.validation.ConstraintViolationException.class)
                .hasMessageContaining("input name must be");
        assertThat(queries.model(name).versions()).isEmpty();
    }

    static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String detail) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class, ex -> {
            assertThat(ex.status()).isEqualTo(status);
            assertThat(ex.getMessage()).contains(detail);
        });
    }
}
