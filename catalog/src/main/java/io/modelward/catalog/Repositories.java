package io.modelward.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface ModelRepository extends JpaRepository<Model, Long> {

    Optional<Model> findByName(String name);

    boolean existsByName(String name);

    List<Model> findAllByOrderByNameAsc();
}

interface ModelVersionRepository extends JpaRepository<ModelVersion, Long> {

    @Query("select v from ModelVersion v join fetch v.model m where m.name = :model and v.label = :label")
    Optional<ModelVersion> find(String model, String label);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select v from ModelVersion v join fetch v.model m where m.name = :model and v.label = :label")
    Optional<ModelVersion> findForUpdate(String model, String label);

    @Query("select v from ModelVersion v join fetch v.model m where m.id = :modelId order by v.createdAt desc, v.id desc")
    List<ModelVersion> findByModel(long modelId);

    @Query("select v from ModelVersion v join fetch v.model m order by m.name, v.createdAt desc, v.id desc")
    List<ModelVersion> findAllWithModel();

    @Query("select v from ModelVersion v join fetch v.model m where v.state = :state order by v.createdAt, v.id")
    List<ModelVersion> findByState(VersionState state);

    boolean existsByModelIdAndLabel(long modelId, String label);
}

interface ArtifactRepository extends JpaRepository<Artifact, Long> {

    List<Artifact> findByVersionIdOrderByKind(long versionId);

    List<Artifact> findByVersionIdIn(Collection<Long> versionIds);

    Optional<Artifact> findByVersionIdAndKind(long versionId, ArtifactKind kind);

    boolean existsBySha256(String sha256);

    @Query("select count(a) > 0 from Artifact a, ModelVersion v where a.versionId = v.id and a.sha256 = :sha256 "
            + "and v.state = :state")
    boolean existsInState(String sha256, VersionState state);
}

interface VersionTransitionRepository extends JpaRepository<VersionTransition, Long> {

    List<VersionTransition> findByVersionIdOrderByAtAscIdAsc(long versionId);
}
