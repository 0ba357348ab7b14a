package io.modelward.catalog;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Registers a version of a model, in DRAFT, with its license, provenance and input spec. */
public record RegisterVersion(
        @NotBlank(message = "version is required") @Size(max = 63, message = "version must be at most 63 characters") @Pattern(regexp = "[A-Za-z0-9]([-._A-Za-z0-9]*[A-Za-z0-9])?", message = "version must be letters, digits, '.', '_' and '-', starting and ending with a letter or digit") String version,
        @NotNull(message = "format is required") ModelFormat format,
        @NotBlank(message = "license is required: give its SPDX id, e.g. Apache-2.0") String license,
        @NotNull(message = "provenance is required") @Valid Provenance provenance,
        @Valid ImageInputSpec input) {

    public RegisterVersion {
        input = input == null ? ImageInputSpec.NONE : input;
    }
}
