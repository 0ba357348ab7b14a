package io.modelward.portal.api;

import java.net.URI;
import java.util.List;

import io.modelward.deployer.CreateDeployment;
import io.modelward.deployer.DeploymentService;
import io.modelward.deployer.DeploymentView;
import io.modelward.governance.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Deployments over REST: deploy an approved version, watch its status, scale, stop, start and delete it. */
@RestController
@RequestMapping("/api/deployments")
@Tag(name = "Deployments", description = "Approved model versions running as autoscaled runtimes")
class DeploymentApi {

    private final DeploymentService deployments;

    DeploymentApi(DeploymentService deployments) {
        this.deployments = deployments;
    }

    @GetMapping
    List<DeploymentView> list() {
        return deployments.list();
    }

    @PostMapping
    @Operation(summary = "Deploy an APPROVED model version (researchers, admins)",
            description = "Omitted fields take defaults: the configured target and namespace, 1–1 replicas, CPU 70 %, "
                    + "never scaled to zero, 500m/2 CPU and 768Mi/2Gi memory. Every problem of the spec is reported "
                    + "at once and nothing is created.")
    ResponseEntity<DeploymentView> create(Actor actor, @RequestBody CreateDeployment request) {
        DeploymentView created = deployments.create(actor, request);
        return ResponseEntity.created(URI.create("/api/deployments/" + created.name())).body(created);
    }

    @GetMapping("/{name}")
    DeploymentView get(@PathVariable String name) {
        return deployments.view(name);
    }

    @PostMapping("/{name}/scale")
    @Operation(summary = "Change min and max replicas (the owner or an admin)")
    DeploymentView scale(Actor actor, @PathVariable String name, @RequestBody Scale scale) {
        return deployments.scale(actor, name, scale.minReplicas(), scale.maxReplicas());
    }

    @PostMapping("/{name}/stop")
    DeploymentView stop(Actor actor, @PathVariable String name) {
        return deployments.stop(actor, name);
    }

    @PostMapping("/{name}/start")
    DeploymentView start(Actor actor, @PathVariable String name) {
        return deployments.start(actor, name);
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(Actor actor, @PathVariable String name) {
        deployments.delete(actor, name);
        return ResponseEntity.noContent().build();
    }

    /** New replica bounds; an omitted one stays. */
    record Scale(@Nullable Integer minReplicas, @Nullable Integer maxReplicas) {
    }
}
