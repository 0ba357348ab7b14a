package io.modelward.catalog;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "model")
class Model {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    private String name;

    @Column(name = "display_name")
    private String displayName;

    @Enumerated(EnumType.STRING)
    private Task task;

    private @Nullable String description;

    private String owner;

    @Column(name = "created_at")
    private Instant createdAt;

    protected Model() {
        this("", "", Task.OTHER, null, "");
    }

    Model(String name, String displayName, Task task, @Nullable String description, String owner) {
        this.name = name;
        this.displayName = displayName;
        this.task = task;
        this.description = description;
        this.owner = owner;
        this.createdAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    long id() {
        if (id == null) {
            throw new IllegalStateException("model not saved yet");
        }
        return id;
    }

    String name() {
        return name;
    }

    String displayName() {
        return displayName;
    }

    Task task() {
        return task;
    }

    @Nullable String description() {
        return description;
    }

    String owner() {
        return owner;
    }

    Instant createdAt() {
        return createdAt;
    }
}
