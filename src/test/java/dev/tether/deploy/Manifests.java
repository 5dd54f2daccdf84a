package dev.tether.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Strict parsing of deployment manifests into the fabric8 Kubernetes model. The model classes keep unknown fields in
 * an {@code additionalProperties} map (a Jackson any-setter); this mapper removes that any-setter, so with
 * {@code FAIL_ON_UNKNOWN_PROPERTIES} a misspelt field anywhere in a manifest fails the parse.
 */
final class Manifests {

    /** The kustomize fields the deploy files use; any other field fails the parse. */
    record Kustomization(String apiVersion, String kind, List<Map<String, Object>> labels, List<String> resources,
            List<Patch> patches) {
    }

    record Patch(String path) {
    }

    private static final Map<String, Class<?>> KINDS = Map.of(
            "apps/v1 Deployment", Deployment.class,
            "v1 Service", Service.class,
            "v1 PersistentVolumeClaim", PersistentVolumeClaim.class,
            "v1 Secret", Secret.class,
            "serving.knative.dev/v1 Service", io.fabric8.knative.serving.v1.Service.class,
            "kustomize.config.k8s.io/v1beta1 Kustomization", Kustomization.class);

    private final YAMLMapper yaml;

    Manifests() {
        SimpleModule noAnySetter = new SimpleModule("strict-fabric8");
        noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                    BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                return builder;
            }
        });
        yaml = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .addModule(noAnySetter)
                .build();
    }

    /** Every document of a YAML text, each parsed into the model class of its apiVersion and kind. */
    List<Object> parseAll(String text) throws IOException {
        List<Object> documents = new ArrayList<>();
        for (JsonNode document : trees(text)) {
            documents.add(parse(document));
        }
        return documents;
    }

    /** Every document of a YAML text as a tree, patch directives included. */
    List<JsonNode> trees(String text) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    private Object parse(JsonNode document) throws IOException {
        String type = document.path("apiVersion").asText() + " " + document.path("kind").asText();
        Class<?> model = KINDS.get(type);
        if (model == null) {
            throw new IOException("no model for " + type + "; known: " + KINDS.keySet());
        }
        JsonNode withoutDirectives = document.deepCopy();
        dropPatchDirectives(withoutDirectives);
        return yaml.treeToValue(withoutDirectives, model);
    }

    /** Strategic-merge-patch directives ({@code $patch: delete}) are kustomize's, not fields of the model. */
    private static void dropPatchDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
                if (names.next().startsWith("$")) {
                    names.remove();
                }
            }
            object.elements().forEachRemaining(Manifests::dropPatchDirectives);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(Manifests::dropPatchDirectives);
        }
    }
}
