package io.modelward.catalog.license;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface LicensePolicyRepository extends JpaRepository<LicensePolicyEntry, String> {

    List<LicensePolicyEntry> findAllByOrderBySpdxIdAsc();

    Optional<LicensePolicyEntry> findBySpdxIdIgnoreCase(String spdxId);
}
