package io.modelward.portal.web;

import io.modelward.catalog.RegisterModel;
import io.modelward.catalog.Task;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The "register model" form. */
public class ModelForm {

    @NotBlank(message = "name is required")
    @Size(max = 63, message = "name must be at most 63 characters")
    @Pattern(regexp = "[a-z0-9]([-a-z0-9]*[a-z0-9])?", message = "lower-case letters, digits and '-', starting and ending with a letter or digit")
    private String name = "";

    @NotBlank(message = "display name is required")
    @Size(max = 200, message = "display name must be at most 200 characters")
    private String displayName = "";

    @NotNull(message = "task is required")
    private Task task = Task.IMAGE_CLASSIFICATION;

    @Size(max = 4000, message = "description must be at most 4000 characters")
    private String description = "";

    RegisterModel toCommand() {
        return new RegisterModel(name.strip(), displayName, task, description);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? "" : name;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName == null ? "" : displayName;
    }

    public Task getTask() {
        return task;
    }

    public void setTask(Task task) {
        this.task = task;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description == null ? "" : description;
    }
}
