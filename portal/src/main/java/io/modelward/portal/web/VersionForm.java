package io.modelward.portal.web;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.modelward.catalog.ImageInputSpec;
import io.modelward.catalog.ModelFormat;
import io.modelward.catalog.Provenance;
import io.modelward.catalog.RegisterVersion;
import io.modelward.catalog.SourceType;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.BindingResult;

/** The "register version" form: license, provenance, model card and input spec. */
public class VersionForm {

    @NotBlank(message = "version is required")
    @Size(max = 63, message = "version must be at most 63 characters")
    @Pattern(regexp = "[A-Za-z0-9]([-._A-Za-z0-9]*[A-Za-z0-9])?", message = "letters, digits, '.', '_' and '-', starting and ending with a letter or digit")
    private String version = "";

    @NotNull(message = "format is required")
    private ModelFormat format = ModelFormat.TORCHSCRIPT;

    @NotBlank(message = "license is required: its SPDX id, e.g. Apache-2.0")
    private String license = "";

    @NotNull(message = "source type is required")
    private SourceType sourceType = SourceType.UPLOAD;

    @Size(max = 2000, message = "at most 2000 characters")
    @Pattern(regexp = "\\S*", message = "must not contain spaces")
    private String sourceUri = "";

    @Size(max = 200, message = "at most 200 characters")
    private String revision = "";

    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
    private @Nullable LocalDateTime retrievedAt;

    @Size(max = 200, message = "at most 200 characters")
    private String retrievedBy = "";

    @Pattern(regexp = "|[0-9a-fA-F]{64}", message = "a SHA-256: 64 hex digits")
    private String upstreamSha256 = "";

    @Size(max = 1000, message = "at most 1000 characters")
    private String authors = "";

    @Size(max = 100_000, message = "at most 100,000 characters")
    private String modelCard = "";

    @Min(value = 1, message = "at least 1")
    @Max(value = 4096, message = "at most 4096")
    private @Nullable Integer imageSize;

    @Min(value = 1, message = "at least 1")
    @Max(value = 4096, message = "at most 4096")
    private @Nullable Integer resizeTo;

    private boolean grayscale;

    @Pattern(regexp = "|\\s*-?[0-9.]+(\\s*,\\s*-?[0-9.]+){0,3}\\s*", message = "up to 4 numbers separated by commas")
    private String mean = "";

    @Pattern(regexp = "|\\s*[0-9.]+(\\s*,\\s*[0-9.]+){0,3}\\s*", message = "up to 4 positive numbers separated by commas")
    private String std = "";

    @Pattern(regexp = "|imagenet|digits-8x8|text-line-48", message = "choose a preset from the list")
    private String preset = "";

    private ImageInputSpec.@Nullable Color color;

    private ImageInputSpec.@Nullable Fit fit;

    @Min(value = 1, message = "at least 1")
    @Max(value = 4096, message = "at most 4096")
    private @Nullable Integer width;

    @Min(value = 1, message = "at least 1")
    @Max(value = 4096, message = "at most 4096")
    private @Nullable Integer height;

    @Pattern(regexp = "|\\s*-?[0-9.eE-]+(\\s*,\\s*-?[0-9.eE-]+){0,3}\\s*", message = "up to 4 numbers separated by commas")
    private String scale = "";

    @Pattern(regexp = "|\\s*-?[0-9.eE-]+(\\s*,\\s*-?[0-9.eE-]+){0,3}\\s*", message = "up to 4 numbers separated by commas")
    private String offset = "";

    private ImageInputSpec.@Nullable Layout layout;

    private @Nullable Boolean softmax;

    @Min(value = 1, message = "at least 1")
    @Max(value = 1000, message = "at most 1000")
    private @Nullable Integer topK;

    @Pattern(regexp = "|" + ImageInputSpec.NAME, message = "letters, digits, '_', '.', ':', '/' or '-', starting with a letter or '_'")
    private String inputName = "";

    @Pattern(regexp = "|" + ImageInputSpec.NAME, message = "letters, digits, '_', '.', ':', '/' or '-', starting with a letter or '_'")
    private String outputName = "";

    /** Converts to the command, or records field errors and returns null. */
    @Nullable RegisterVersion toCommand(BindingResult errors, ZoneId zone) {
        List<Double> meanValues = numbers("mean", mean, errors);
        List<Double> stdValues = numbers("std", std, errors);
        List<Double> scaleValues = numbers("scale", scale, errors);
        List<Double> offsetValues = numbers("offset", offset, errors);
        if (errors.hasErrors()) {
            return null;
        }
        Provenance provenance = new Provenance(sourceType, sourceUri, revision,
                retrievedAt == null ? null : retrievedAt.atZone(zone).toInstant(), retrievedBy, upstreamSha256, authors,
                modelCard);
        return new RegisterVersion(version.strip(), format, license.strip(), provenance,
                new ImageInputSpec(imageSize, resizeTo, grayscale, meanValues, stdValues, preset, color, fit, width,
                        height, scaleValues, offsetValues, layout, softmax, topK, inputName, outputName));
    }

    private static List<Double> numbers(String field, String text, BindingResult errors) {
        List<Double> values = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return values;
        }
        for (String part : text.split(",")) {
            try {
                values.add(Double.valueOf(part.strip()));
            }
            catch (NumberFormatException ex) {
                errors.rejectValue(field, "number", "'" + part.strip() + "' is not a number");
            }
        }
        return values;
    }

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version == null ? "" : version; }
    public ModelFormat getFormat() { return format; }
    public void setFormat(ModelFormat format) { this.format = format; }
    public String getLicense() { return license; }
    public void setLicense(String license) { this.license = license == null ? "" : license; }
    public SourceType getSourceType() { return sourceType; }
    public void setSourceType(SourceType sourceType) { this.sourceType = sourceType; }
    public String getSourceUri() { return sourceUri; }
    public void setSourceUri(String sourceUri) { this.sourceUri = sourceUri == null ? "" : sourceUri.strip(); }
    public String getRevision() { return revision; }
    public void setRevision(String revision) { this.revision = revision == null ? "" : revision; }
    public @Nullable LocalDateTime getRetrievedAt() { return retrievedAt; }
    public void setRetrievedAt(@Nullable LocalDateTime retrievedAt) { this.retrievedAt = retrievedAt; }
    public String getRetrievedBy() { return retrievedBy; }
    public void setRetrievedBy(String retrievedBy) { this.retrievedBy = retrievedBy == null ? "" : retrievedBy; }
    public String getUpstreamSha256() { return upstreamSha256; }
    public void setUpstreamSha256(String upstreamSha256) { this.upstreamSha256 = upstreamSha256 == null ? "" : upstreamSha256.strip(); }
    public String getAuthors() { return authors; }
    public void setAuthors(String authors) { this.authors = authors == null ? "" : authors; }
    public String getModelCard() { return modelCard; }
    public void setModelCard(String modelCard) { this.modelCard = modelCard == null ? "" : modelCard; }
    public @Nullable Integer getImageSize() { return imageSize; }
    public void setImageSize(@Nullable Integer imageSize) { this.imageSize = imageSize; }
    public @Nullable Integer getResizeTo() { return resizeTo; }
    public void setResizeTo(@Nullable Integer resizeTo) { this.resizeTo = resizeTo; }
    public boolean isGrayscale() { return grayscale; }
    public void setGrayscale(boolean grayscale) { this.grayscale = grayscale; }
    public String getMean() { return mean; }
    public void setMean(String mean) { this.mean = mean == null ? "" : mean; }
    public String getStd() { return std; }
    public void setStd(String std) { this.std = std == null ? "" : std; }
    public String getPreset() { return preset; }
    public void setPreset(String preset) { this.preset = preset == null ? "" : preset.strip(); }
    public ImageInputSpec.@Nullable Color getColor() { return color; }
    public void setColor(ImageInputSpec.@Nullable Color color) { this.color = color; }
    public ImageInputSpec.@Nullable Fit getFit() { return fit; }
    public void setFit(ImageInputSpec.@Nullable Fit fit) { this.fit = fit; }
    public @Nullable Integer getWidth() { return width; }
    public void setWidth(@Nullable Integer width) { this.width = width; }
    public @Nullable Integer getHeight() { return height; }
    public void setHeight(@Nullable Integer height) { this.height = height; }
    public String getScale() { return scale; }
    public void setScale(String scale) { this.scale = scale == null ? "" : scale; }
    public String getOffset() { return offset; }
    public void setOffset(String offset) { this.offset = offset == null ? "" : offset; }
    public ImageInputSpec.@Nullable Layout getLayout() { return layout; }
    public void setLayout(ImageInputSpec.@Nullable Layout layout) { this.layout = layout; }
    public @Nullable Boolean getSoftmax() { return softmax; }
    public void setSoftmax(@Nullable Boolean softmax) { this.softmax = softmax; }
    public @Nullable Integer getTopK() { return topK; }
    public void setTopK(@Nullable Integer topK) { this.topK = topK; }
    public String getInputName() { return inputName; }
    public void setInputName(String inputName) { this.inputName = inputName == null ? "" : inputName.strip(); }
    public String getOutputName() { return outputName; }
    public void setOutputName(String outputName) { this.outputName = outputName == null ? "" : outputName.strip(); }
}
