package dev.tether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The files under {@code deploy/}: every Kubernetes manifest parses strictly into the fabric8 model, kustomizations
 * reference files that exist, and the workloads probe the health endpoints, run locked down and set only env vars
 * the service reads. No cluster and no Quarkus boot: plain parsing.
 */
class DeployManifestsTest {

    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path DOCKER = Path.of("deploy/docker");
    private static final Set<String> WRITABLE = Set.of("/data", "/workspace", "/tmp");

    private static final Manifests MANIFESTS = new Manifests();
    private static final Map<Path, List<Object>> PARSED = new LinkedHashMap<>();
    private static ConfigEnvNames envNames;

    /** A pod template of a Deployment or a Knative Service. */
    record Workload(String source, List<Container> containers, List<Volume> volumes, PodSecurityContext pod) {
        Container tether() {
            return containers.stream().filter(c -> c.getName().equals("tether")).findFirst().orElseThrow();
        }
    }

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        for (Path file : yamlFiles()) {
            PARSED.put(file, MANIFESTS.parseAll(Files.readString(file)));
        }
        envNames = new ConfigEnvNames(Path.of("src/main/resources/application.properties"));
    }

    @Test
    void everyManifestParsesStrictlyIntoTheKubernetesModel() throws IOException {
        assertEquals(yamlFiles().size(), PARSED.size());
        assertTrue(PARSED.size() >= 11, "manifests found: " + PARSED.keySet());
        PARSED.forEach((file, documents) -> assertFalse(documents.isEmpty(), file.toString()));
        Set<Class<?>> kinds = all(Object.class).stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(Deployment.class, io.fabric8.kubernetes.api.model.Service.class,
                PersistentVolumeClaim.class, Secret.class, io.fabric8.knative.serving.v1.Service.class,
                Manifests.Kustomization.class), kinds);
    }

    @Test
    void aMisspeltFieldAnywhereFailsTheParse() throws IOException {
        String deployment = Files.readString(KUBERNETES.resolve("base/deployment.yaml"));
        String knative = Files.readString(KUBERNETES.resolve("overlays/knative/service.yaml"));
        String kustomization = Files.readString(KUBERNETES.resolve("base/kustomization.yaml"));
        assertEquals(1, MANIFESTS.parseAll(deployment).size());
        for (String[] typo : new String[][] {
                { deployment, "readinessProbe:", "readinesProbe:" },
                { deployment, "readOnlyRootFilesystem:", "readOnlyRootFilesytem:" },
                { deployment, "mountPath: /tmp", "mountpath: /tmp" },
                { deployment, "claimName:", "claim:" },
                { deployment, "strategy:", "stratgy:" },
                { knative, "containerConcurrency:", "containerConcurency:" },
                { knative, "secretKeyRef:", "secretRef:" },
                { kustomization, "resources:", "resource:" } }) {
            assertTrue(typo[0].contains(typo[1]), typo[1]);
            assertThrows(IOException.class, () -> MANIFESTS.parseAll(typo[0].replace(typo[1], typo[2])), typo[2]);
        }
    }

    @Test
    void kustomizationsReferenceExistingFilesAndUseEveryManifestButTheSecretExample() {
        int kustomizations = 0;
        for (var entry : PARSED.entrySet()) {
            Path dir = entry.getKey().getParent();
            for (Manifests.Kustomization k : entry.getValue().stream().filter(Manifests.Kustomization.class::isInstance)
                    .map(Manifests.Kustomization.class::cast).toList()) {
                kustomizations++;
                List<String> referenced = new ArrayList<>(k.resources() == null ? List.of() : k.resources());
                if (k.patches() != null) {
                    k.patches().forEach(p -> referenced.add(p.path()));
                }
                assertFalse(referenced.isEmpty(), dir.toString());
                for (String ref : referenced) {
                    Path target = dir.resolve(ref).normalize();
                    assertTrue(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")),
                            dir + " references " + ref);
                    assertFalse(ref.endsWith(".example.yaml"), dir + " must not apply " + ref);
                }
                PARSED.keySet().stream().filter(f -> f.getParent().equals(dir)).map(f -> f.getFileName().toString())
                        .filter(name -> !name.equals("kustomization.yaml") && !name.endsWith(".example.yaml"))
                        .forEach(name -> assertTrue(referenced.contains(name), dir + " does not use " + name));
            }
        }
        assertEquals(5, kustomizations);
        assertTrue(Files.isRegularFile(KUBERNETES.resolve("base/secret.example.yaml")));
    }

    @Test
    void workloadsProbeHealthEndpointsAtTheContainerPort() {
        assertEquals(2, workloads().size());
        for (Workload w : workloads()) {
            Container tether = w.tether();
            assertEquals(1, tether.getPorts().size(), w.source());
            int port = tether.getPorts().get(0).getContainerPort();
            assertHealthProbe(tether, tether.getLivenessProbe(), "/q/health/live", port);
            assertHealthProbe(tether, tether.getReadinessProbe(), "/q/health/ready", port);
            env(tether).stream().filter(e -> e.getName().equals("QUARKUS_HTTP_PORT"))
                    .forEach(e -> assertEquals(String.valueOf(port), e.getValue()));
        }
    }

    @Test
    void workloadsRunNonRootOnAReadOnlyRootWithOnlyDataWorkspaceAndTmpWritable() {
        Set<String> claims = all(PersistentVolumeClaim.class).stream().map(c -> c.getMetadata().getName())
                .collect(Collectors.toSet());
        for (Workload w : workloads()) {
            Container tether = w.tether();
            SecurityContext security = tether.getSecurityContext();
            assertEquals(Boolean.TRUE, security.getRunAsNonRoot(), w.source());
            assertEquals(1001L, security.getRunAsUser(), w.source());
            assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), w.source());
            assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), w.source());
            assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), w.source());
            assertTrue(security.getCapabilities().getAdd() == null || security.getCapabilities().getAdd().isEmpty());
            assertEquals("RuntimeDefault", security.getSeccompProfile().getType(), w.source());
            assertEquals(1001L, w.pod().getFsGroup(), "PVC writable by UID 1001: " + w.source());

            Map<String, String> mounts = tether.getVolumeMounts().stream()
                    .collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
            assertEquals(WRITABLE, mounts.keySet(), w.source());
            tether.getVolumeMounts().forEach(m -> assertNotEquals(Boolean.TRUE, m.getReadOnly(), m.getMountPath()));
            Map<String, Volume> volumes = w.volumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
            assertTrue(claims.contains(volumes.get(mounts.get("/data")).getPersistentVolumeClaim().getClaimName()));
            assertNotNull(volumes.get(mounts.get("/tmp")).getEmptyDir(), w.source());
            assertNotNull(volumes.get(mounts.get("/workspace")), w.source());
            assertEquals(List.of("/data"), values(tether, "TETHER_DATA_DIR"), w.source());
            assertEquals(List.of("/workspace"), values(tether, "TETHER_WORKSPACE_ROOT"), w.source());
        }
    }

    @Test
    void everyEnvVarTheDeployFilesSetIsAConfigurationKeyAndEverySecretKeyExists() throws IOException {
        List<EnvVar> env = tetherContainers().stream().flatMap(c -> env(c).stream()).toList();
        Set<String> names = env.stream().map(EnvVar::getName).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("TETHER_AUTH_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
                "QUARKUS_HTTP_HOST")), names.toString());
        Set<String> dockerEnv = dockerfileEnvNames();
        assertTrue(dockerEnv.containsAll(Set.of("QUARKUS_HTTP_HOST", "TETHER_DATA_DIR", "TETHER_WORKSPACE_ROOT")),
                dockerEnv.toString());
        Stream.concat(names.stream(), dockerEnv.stream())
                .forEach(name -> assertTrue(envNames.isKnown(name), name + " is not a configuration key"));

        Map<String, Set<String>> secretKeys = all(Secret.class).stream().collect(Collectors.toMap(
                s -> s.getMetadata().getName(), s -> s.getStringData().keySet()));
        List<EnvVar> fromSecrets = env.stream().filter(e -> e.getValueFrom() != null).toList();
        assertFalse(fromSecrets.isEmpty());
        for (EnvVar e : fromSecrets) {
            var ref = e.getValueFrom().getSecretKeyRef();
            assertNotNull(ref, e.getName() + " comes from a Secret");
            assertTrue(secretKeys.getOrDefault(ref.getName(), Set.of()).contains(ref.getKey()),
                    ref.getName() + "/" + ref.getKey() + " is in the Secret example");
            if (e.getName().endsWith("_API_KEY")) {
                assertEquals(Boolean.TRUE, ref.getOptional(), e.getName() + ": providers are optional");
            }
        }
    }

    @Test
    void theSidecarListensOnLoopbackWithoutTokenAndProbesFromInsideThePod() throws IOException {
        Path patch = KUBERNETES.resolve("overlays/sidecar/deployment-patch.yaml");
        Deployment deployment = (Deployment) PARSED.get(patch).get(0);
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        Container tether = containers.stream().filter(c -> c.getName().equals("tether")).findFirst().orElseThrow();
        assertEquals(List.of("127.0.0.1"), values(tether, "QUARKUS_HTTP_HOST"));
        JsonNode tree = MANIFESTS.trees(Files.readString(patch)).get(0);
        JsonNode tokenEntry = tree.at("/spec/template/spec/containers/0/env/1");
        assertEquals("TETHER_AUTH_TOKEN", tokenEntry.path("name").asText());
        assertEquals("delete", tokenEntry.path("$patch").asText(), "no token on loopback");

        int port = baseDeployment().getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0)
                .getContainerPort();
        for (var probe : Map.of("/q/health/live", tether.getLivenessProbe(), "/q/health/ready",
                tether.getReadinessProbe()).entrySet()) {
            assertNull(probe.getValue().getHttpGet(), "a loopback listener is not reachable on the pod IP");
            String command = String.join(" ", probe.getValue().getExec().getCommand());
            assertTrue(command.contains("/dev/tcp/127.0.0.1/" + port), command);
            assertTrue(command.contains("GET " + probe.getKey() + " HTTP/1.1"), command);
            assertTrue(command.contains(" 200 "), command);
        }
        assertTrue(tree.at("/spec/template/spec/containers/0/livenessProbe").has("httpGet"), "httpGet: null removes it");

        Container app = containers.stream().filter(c -> !c.getName().equals("tether")).findFirst().orElseThrow();
        assertTrue(app.getVolumeMounts().stream()
                .anyMatch(m -> m.getName().equals("workspace") && m.getMountPath().equals("/workspace")));
        assertTrue(baseDeployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals("workspace")));
        JsonNode serviceDelete = MANIFESTS
                .trees(Files.readString(KUBERNETES.resolve("overlays/sidecar/service-delete.yaml"))).get(0);
        assertEquals("delete", serviceDelete.path("$patch").asText());
    }

    @Test
    void thePostgresOverlayRunsThreeReplicasOnTheDatabaseWithThePasswordFromTheSecret() throws IOException {
        Path overlay = KUBERNETES.resolve("overlays/postgres");
        Deployment deployment = (Deployment) PARSED.get(overlay.resolve("deployment-patch.yaml")).get(0);
        assertEquals(3, deployment.getSpec().getReplicas());
        assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
        Container tether = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("tether", tether.getName());
        assertEquals(List.of("postgres"), values(tether, "TETHER_STORE_KIND"));
        assertTrue(values(tether, "QUARKUS_DATASOURCE_JDBC_URL").get(0).startsWith("jdbc:postgresql://"));
        assertEquals(1, values(tether, "QUARKUS_DATASOURCE_USERNAME").size(), "the user comes from config");
        EnvVar password = env(tether).stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_PASSWORD"))
                .findFirst().orElseThrow();
        assertNull(password.getValue(), "never inline");
        assertEquals("tether-secrets", password.getValueFrom().getSecretKeyRef().getName());
        Volume data = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("data")).findFirst().orElseThrow();
        assertNotNull(data.getEmptyDir(), "no shared data volume: the sessions live in the database");
        JsonNode pvcDelete = MANIFESTS.trees(Files.readString(overlay.resolve("pvc-delete.yaml"))).get(0);
        assertEquals("delete", pvcDelete.path("$patch").asText());
        assertEquals("tether-data", pvcDelete.at("/metadata/name").asText());
    }

    @Test
    void knativeScalesToZeroWithAtMostOneInstanceOnThePvc() {
        io.fabric8.knative.serving.v1.Service service = all(io.fabric8.knative.serving.v1.Service.class).get(0);
        Map<String, String> annotations = service.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("0", annotations.get("autoscaling.knative.dev/min-scale"));
        assertEquals("1", annotations.get("autoscaling.knative.dev/max-scale"));
        assertEquals(1, service.getSpec().getTemplate().getSpec().getContainers().size());
        assertTrue(service.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getPersistentVolumeClaim() != null));
        assertEquals(1, baseDeployment().getSpec().getReplicas());
        assertEquals("Recreate", baseDeployment().getSpec().getStrategy().getType());
    }

    private static void assertHealthProbe(Container container, Probe probe, String path, int port) {
        assertNotNull(probe, path);
        HTTPGetAction get = probe.getHttpGet();
        assertEquals(path, get.getPath());
        IntOrString target = get.getPort();
        int resolved = target.getIntVal() != null ? target.getIntVal()
                : container.getPorts().stream().filter(p -> target.getStrVal().equals(p.getName())).findFirst()
                        .orElseThrow().getContainerPort();
        assertEquals(port, resolved, path);
    }

    private static Deployment baseDeployment() {
        return (Deployment) PARSED.get(KUBERNETES.resolve("base/deployment.yaml")).get(0);
    }

    /** The complete pod templates: the base Deployment and the Knative Service (patches are partial). */
    private static List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        var base = baseDeployment().getSpec().getTemplate().getSpec();
        workloads.add(new Workload("base", base.getContainers(), base.getVolumes(), base.getSecurityContext()));
        for (var knative : all(io.fabric8.knative.serving.v1.Service.class)) {
            var spec = knative.getSpec().getTemplate().getSpec();
            workloads.add(new Workload("knative", spec.getContainers(), spec.getVolumes(), spec.getSecurityContext()));
        }
        return workloads;
    }

    /** The tether container of every Deployment (base and patches) and Knative Service. */
    private static List<Container> tetherContainers() {
        Stream<List<Container>> deployments = all(Deployment.class).stream()
                .map(d -> d.getSpec().getTemplate().getSpec().getContainers());
        Stream<List<Container>> knative = all(io.fabric8.knative.serving.v1.Service.class).stream()
                .map(s -> s.getSpec().getTemplate().getSpec().getContainers());
        return Stream.concat(deployments, knative).flatMap(List::stream)
                .filter(c -> c.getName().equals("tether")).toList();
    }

    private static List<String> values(Container container, String name) {
        return env(container).stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).toList();
    }

    private static List<EnvVar> env(Container container) {
        return container.getEnv() == null ? List.of() : container.getEnv();
    }

    private static <T> List<T> all(Class<T> type) {
        return PARSED.values().stream().flatMap(List::stream).filter(type::isInstance).map(type::cast).toList();
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** Names of the TETHER_ and QUARKUS_ variables the Dockerfiles set with ENV. */
    private static Set<String> dockerfileEnvNames() throws IOException {
        Pattern name = Pattern.compile("\\b((?:TETHER|QUARKUS)_[A-Z0-9_]+)=");
        Set<String> names = new java.util.TreeSet<>();
        try (Stream<Path> files = Files.list(DOCKER)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("Dockerfile"))
                    .filter(f -> !f.toString().endsWith(".dockerignore")).toList()) {
                for (String line : Files.readString(file).replace("\\\n", " ").split("\n")) {
                    if (line.startsWith("ENV ")) {
                        Matcher m = name.matcher(line);
                        while (m.find()) {
                            names.add(m.group(1));
                        }
                    }
                }
            }
        }
        return names;
    }
}
