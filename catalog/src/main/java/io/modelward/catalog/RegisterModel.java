package io.modelward.catalog;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Registers a model. Its name is a DNS label, since deployments and URLs are named after it. */
public record RegisterModel(
        @NotBlank(message = "name is required") @Size(max = 63, message = "name must be at most 63 characters") @Pattern(regexp = "[a-z0-9]([-a-z0-9]*[a-z0-9])?", message = "name must be lower-case letters, digits and '-', starting and ending with a letter or digit") String name,
        @NotBlank(message = "display name is required") @Size(max = 200, message = "display name must be at most 200 characters") String displayName,
        @NotNull(message = "task is required") Task task,
        @Nullable @Size(max = 4000, message = "description must be at most 4000 characters") String description) {
}
