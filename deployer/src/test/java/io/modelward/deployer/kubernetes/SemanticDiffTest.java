package io.modelward.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import static io.modelward.deployer.kubernetes.TestPlans.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

class SemanticDiffTest {

    private static final Deployment DESIRED = KubernetesObjects.deployment(TestPlans.plan("wards", "digits", 2),
            SETTINGS);

    @Test
    void whatTheServerAndOthersAddIsNoDifference() {
        Deployment existing = new DeploymentBuilder(DESIRED)
                .editMetadata()
                    .withUid("4c1f").withResourceVersion("17").withGeneration(2L)
                    .addToLabels("team", "radiology")
                    .addToAnnotations("deployment.kubernetes.io/revision", "2")
                .endMetadata()
                .editSpec()
                    .editTemplate().editSpec()
                        .withDnsPolicy("ClusterFirst")
                        .editFirstContainer().withTerminationMessagePath("/dev/termination-log").endContainer()
                    .endSpec().endTemplate()
                .endSpec()
                .withNewStatus().withReadyReplicas(2).endStatus()
                .build();

        assertThat(SemanticDiff.differs(DESIRED, existing)).isFalse();
    }

    @Test
    void quantitiesCompareByAmount() {
        Deployment existing = new DeploymentBuilder(DESIRED).editSpec().editTemplate().editSpec()
                .editFirstContainer().editResources().addToRequests("cpu", new Quantity("0.5"))
                .addToLimits("memory", new Quantity("2048Mi")).endResources().endContainer()
                .endSpec().endTemplate().endSpec().build();

        assertThat(SemanticDiff.differs(DESIRED, existing)).isFalse();
    }

    @Test
    void aChangedFieldWeSetIsADifference() {
        Deployment existing = new DeploymentBuilder(DESIRED).editSpec().editTemplate().editSpec()
                .editFirstContainer().withImage("ghcr.io/modelward/inference-runtime:0.0.9").endContainer()
                .endSpec().endTemplate().endSpec().build();

        assertThat(SemanticDiff.differs(DESIRED, existing)).isTrue();
    }

    @Test
    void anExtraListElementIsADifference() {
        Deployment existing = new DeploymentBuilder(DESIRED).editSpec().editTemplate().editSpec()
                .editFirstContainer().addToArgs("--queue-size=1").endContainer()
                .endSpec().endTemplate().endSpec().build();

        assertThat(SemanticDiff.differs(DESIRED, existing)).isTrue();
    }

    @Test
    void aRemovedLabelOfOursIsADifference() {
        Deployment existing = new DeploymentBuilder(DESIRED).editMetadata()
                .removeFromLabels(KubernetesObjects.MANAGED_BY).endMetadata().build();

        assertThat(SemanticDiff.differs(DESIRED, existing)).isTrue();
    }
}
