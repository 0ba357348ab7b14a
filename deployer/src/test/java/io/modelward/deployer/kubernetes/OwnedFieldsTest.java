package io.modelward.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import static io.modelward.deployer.kubernetes.TestPlans.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

class OwnedFieldsTest {

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

        assertThat(OwnedFields.differ(DESIRED, existing)).isFalse();
    }

    @Test
    void quantitiesCompareByAmount() {
        Deployment existing = new DeploymentBuilder(DESIRED).editSpec().editTemplate().editSpec()
                .editFirstContainer().editResources().addToRequests("cpu", new Quantity("0.5"))
                .addToLimits("memory", new Quantity("2048Mi")).endResources().endContainer()
                .endSpec().endTemplate().endSpec().build();

        assertThat(OwnedFields.differ(DESIRED, existing)).isFalse();
    }

    @Test
    void aChangedFieldWeSetIsADifference() {
        Deployment existing = new DeploymentBuilder(DESIRED).editSpec().editTemplate().editSpec()
                .editFirstContainer().withImage("ghcr.io/modelward/inference-runtime:0.0.9").endContainer()
                .endSpec().endTemplate().endSpec().build();

        assertThat(OwnedFields.differ(DESIRED, existing)).isTrue();
    }

    @Test
    void anExtraListElementIsADifference() {
        Deployment existing = new DeploymentBuilder(DESIRED).editSpec().editTemplate().editSpec()
                .editFirstContainer().addToArgs("--queue-size=1").endContainer()
                .endSpec().endTemplate().endSpec().build();

        assertThat(OwnedFields.differ(DESIRED, existing)).isTrue();
    }

    @Test
    void aRemovedLabelOfOursIsADifference() {
        Deployment existing = new DeploymentBuilder(DESIRED).editMetadata()
                .removeFromLabels(KubernetesObjects.MANAGED_BY).endMetadata().build();

        assertThat(OwnedFields.differ(DESIRED, existing)).isTrue();
    }

    @Test
    void applyingKeepsWhatTheServerAndOthersAddedAndReplacesOurLists() {
        Deployment existing = new DeploymentBuilder(DESIRED)
                .editMetadata().withUid("4c1f").withResourceVersion("17").addToLabels("team", "radiology").endMetadata()
                .editSpec().withReplicas(5).editTemplate().editSpec()
                    .editFirstContainer().withImage("old:1").addToArgs("--queue-size=1")
                        .withTerminationMessagePath("/dev/termination-log").endContainer()
                .endSpec().endTemplate().endSpec()
                .withNewStatus().withReadyReplicas(5).endStatus()
                .build();

        Deployment applied = OwnedFields.appliedTo(existing, DESIRED);

        assertThat(applied.getMetadata().getResourceVersion()).isEqualTo("17");
        assertThat(applied.getMetadata().getUid()).isEqualTo("4c1f");
        assertThat(applied.getMetadata().getLabels()).containsEntry("team", "radiology")
                .containsAllEntriesOf(DESIRED.getMetadata().getLabels());
        assertThat(applied.getSpec().getReplicas()).isEqualTo(2);
        assertThat(applied.getSpec().getTemplate().getSpec().getContainers()).singleElement().satisfies(container -> {
            assertThat(container.getImage()).isEqualTo(SETTINGS.runtimeImage());
            assertThat(container.getArgs()).isEqualTo(
                    DESIRED.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs());
        });
        assertThat(applied.getStatus().getReadyReplicas()).isEqualTo(5);
        assertThat(OwnedFields.differ(DESIRED, applied)).isFalse();
    }
}
