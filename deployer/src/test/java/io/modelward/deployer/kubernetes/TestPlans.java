package io.modelward.deployer.kubernetes;

import java.net.URI;
import java.util.Map;

import io.modelward.deployer.DeploymentPlan;
import io.modelward.deployer.DeploymentSpec;
import io.modelward.deployer.DeploymentTarget;
import io.modelward.deployer.DesiredState;
import io.modelward.deployer.Resources;
import io.modelward.deployer.RuntimeSpec;
import io.modelward.deployer.ScaleMetric;

/** Plans and settings the Kubernetes tests build on. */
final class TestPlans {

    static final String MODEL_SHA = "a".repeat(64);
    static final String LABELS_SHA = "b".repeat(64);
    static final String TOKEN = "internal-token-never-in-the-deployment";
    static final String ARTIFACT_TOKEN = "artifact-token-never-in-the-deployment";
    static final KubernetesSettings SETTINGS = KubernetesSettings.of("ghcr.io/modelward/inference-runtime:0.1.0",
            URI.create("http://modelward-portal.modelward.svc:8080/internal/artifacts"), ARTIFACT_TOKEN);

    private TestPlans() {
    }

    static DeploymentSpec spec(String namespace, String name, int minReplicas) {
        return new DeploymentSpec(name, "digits", "1.0.0", DeploymentTarget.KUBERNETES, namespace, minReplicas, 4,
                ScaleMetric.CPU, 70, 300, Resources.DEFAULT, DesiredState.RUNNING);
    }

    static RuntimeSpec runtime() {
        return new RuntimeSpec("digits", "1.0.0", "TORCHSCRIPT", MODEL_SHA, "digits.pt", LABELS_SHA, "synset.txt",
                Map.of("image-crop", "8", "image-color", "grayscale"), TOKEN);
    }

    static DeploymentPlan plan(DeploymentSpec spec, int replicas) {
        return new DeploymentPlan(spec, runtime(), replicas);
    }

    static DeploymentPlan plan(String namespace, String name, int minReplicas) {
        return plan(spec(namespace, name, minReplicas), minReplicas);
    }
}
