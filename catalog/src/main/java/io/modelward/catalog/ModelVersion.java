package io.modelward.catalog;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "model_version")
class ModelVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "model_id")
    private Model model;

    @Column(name = "version_label")
    private String label;

    @Enumerated(EnumType.STRING)
    private ModelFormat format;

    @Enumerated(EnumType.STRING)
    private VersionState state;

    @Column(name = "license_spdx")
    private String licenseSpdx;

    @Column(name = "image_size")
    private @Nullable Integer imageSize;

    @Column(name = "resize_to")
    private @Nullable Integer resizeTo;

    private boolean grayscale;

    @Column(name = "normalize_mean")
    private @Nullable String normalizeMean;

    @Column(name = "normalize_std")
    private @Nullable String normalizeStd;

    @Column(name = "image_preset")
    private @Nullable String imagePreset;

    @Enumerated(EnumType.STRING)
    @Column(name = "image_color")
    private ImageInputSpec.@Nullable Color imageColor;

    @Enumerated(EnumType.STRING)
    @Column(name = "image_fit")
    private ImageInputSpec.@Nullable Fit imageFit;

    @Column(name = "image_width")
    private @Nullable Integer imageWidth;

    @Column(name = "image_height")
    private @Nullable Integer imageHeight;

    @Column(name = "image_scale")
    private @Nullable String imageScale;

    @Column(name = "image_offset")
    private @Nullable String imageOffset;

    @Enumerated(EnumType.STRING)
    @Column(name = "image_layout")
    private ImageInputSpec.@Nullable Layout imageLayout;

    @Column(name = "output_softmax")
    private @Nullable Boolean outputSoftmax;

    @Column(name = "output_topk")
    private @Nullable Integer outputTopK;

    @Column(name = "input_name")
    private @Nullable String inputName;

    @Column(name = "output_name")
    private @Nullable String outputName;

    @Enumerated(EnumType.STRING)
    @Column(name = "source_type")
    private SourceType sourceType;

    @Column(name = "source_uri")
    private @Nullable String sourceUri;

    @Column(name = "source_revision")
    private @Nullable String sourceRevision;

    @Column(name = "retrieved_at")
    private @Nullable Instant retrievedAt;

    @Column(name = "retrieved_by")
    private @Nullable String retrievedBy;

    @Column(name = "upstream_sha256")
    private @Nullable String upstreamSha256;

    private @Nullable String authors;

    @Column(name = "model_card")
    private @Nullable String modelCard;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "submitted_by")
    private @Nullable String submittedBy;

    @Column(name = "decided_by")
    private @Nullable String decidedBy;

    /** The signature read from an ONNX model at upload, as JSON; null for formats that record none. */
    @Column(name = "signature")
    private @Nullable String signature;

    @Version
    @Column(name = "row_version")
    private long rowVersion;

    @SuppressWarnings("NullAway")
    protected ModelVersion() {
        this.label = "";
        this.format = ModelFormat.TORCHSCRIPT;
        this.state = VersionState.DRAFT;
        this.licenseSpdx = "";
        this.sourceType = SourceType.UPLOAD;
        this.createdBy = "";
        this.createdAt = Instant.EPOCH;
    }

    ModelVersion(Model model, String label, ModelFormat format, String licenseSpdx, ImageInputSpec input,
            Provenance provenance, String createdBy) {
        this.model = model;
        this.label = label;
        this.format = format;
        this.state = VersionState.DRAFT;
        this.licenseSpdx = licenseSpdx;
        this.imageSize = input.imageSize();
        this.resizeTo = input.resizeTo();
        this.grayscale = input.grayscale();
        this.normalizeMean = ImageInputSpec.join(input.mean());
        this.normalizeStd = ImageInputSpec.join(input.std());
        this.imagePreset = input.preset();
        this.imageColor = input.color();
        this.imageFit = input.fit();
        this.imageWidth = input.width();
        this.imageHeight = input.height();
        this.imageScale = ImageInputSpec.join(input.scale());
        this.imageOffset = ImageInputSpec.join(input.offset());
        this.imageLayout = input.layout();
        this.outputSoftmax = input.softmax();
        this.outputTopK = input.topK();
        this.inputName = input.inputName();
        this.outputName = input.outputName();
        this.sourceType = provenance.sourceType();
        this.sourceUri = provenance.sourceUri();
        this.sourceRevision = provenance.revision();
        this.retrievedAt = provenance.retrievedAt();
        this.retrievedBy = provenance.retrievedBy();
        this.upstreamSha256 = provenance.upstreamSha256();
        this.authors = provenance.authors();
        this.modelCard = provenance.modelCard();
        this.createdBy = createdBy;
        this.createdAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static final tools.jackson.databind.ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    /** Keeps the signature read from the model file (or forgets it: a TorchScript file records none). */
    void signature(@Nullable ModelSignature read) {
        this.signature = read == null ? null : JSON.writeValueAsString(read);
    }

    /** The signature read from the model, else ModelWard's convention for its format and input spec. */
    ModelSignature signature() {
        return signature == null ? ModelSignature.defaults(format, input()) : JSON.readValue(signature, ModelSignature.class);
    }

    long id() {
        if (id == null) {
            throw new IllegalStateException("version not saved yet");
        }
        return id;
    }

    Model model() {
        return model;
    }

    String label() {
        return label;
    }

    ModelFormat format() {
        return format;
    }

    VersionState state() {
        return state;
    }

    String licenseSpdx() {
        return licenseSpdx;
    }

    String createdBy() {
        return createdBy;
    }

    Instant createdAt() {
        return createdAt;
    }

    @Nullable String submittedBy() {
        return submittedBy;
    }

    @Nullable String decidedBy() {
        return decidedBy;
    }

    ImageInputSpec input() {
        return new ImageInputSpec(imageSize, resizeTo, grayscale, ImageInputSpec.split(normalizeMean),
                ImageInputSpec.split(normalizeStd), imagePreset, imageColor, imageFit, imageWidth, imageHeight,
                ImageInputSpec.split(imageScale), ImageInputSpec.split(imageOffset), imageLayout, outputSoftmax,
                outputTopK, inputName, outputName);
    }

    Provenance provenance() {
        return new Provenance(sourceType, sourceUri, sourceRevision, retrievedAt, retrievedBy, upstreamSha256, authors,
                modelCard);
    }

    void submit(String by) {
        this.state = VersionState.SUBMITTED;
        this.submittedBy = by;
    }

    void decide(VersionState decision, String by) {
        this.state = decision;
        this.decidedBy = by;
    }

    void retire() {
        this.state = VersionState.RETIRED;
    }
}
