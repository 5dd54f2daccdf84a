package dev.tether.api.openapi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.RecordComponentInfo;
import org.jboss.jandex.Type;

/**
 * Component schemas for types the annotation scanner cannot describe, read from the Jandex index at build time (no
 * reflection, so nothing is needed at run time or in a native image):
 * <ul>
 *   <li>a Jackson-tagged closed hierarchy ({@code @JsonTypeInfo(property = "type")} + {@code @JsonSubTypes}) becomes
 *       a {@code oneOf} of its members, discriminated by the tag property with one mapping per subtype name; each
 *       member is an object whose tag property is the single value of its name;</li>
 *   <li>a record becomes an object of its components, named in snake_case as the service's JSON is; primitive
 *       components are required.</li>
 * </ul>
 * Types that already have a component schema of their simple name are referenced, not rebuilt.
 */
final class JsonSchemas {

    private static final DotName JSON_TYPE_INFO = DotName.createSimple("com.fasterxml.jackson.annotation.JsonTypeInfo");
    private static final DotName JSON_SUB_TYPES = DotName.createSimple("com.fasterxml.jackson.annotation.JsonSubTypes");
    private static final DotName JSON_PROPERTY = DotName.createSimple("com.fasterxml.jackson.annotation.JsonProperty");
    private static final DotName JSON_NODE = DotName.createSimple("com.fasterxml.jackson.databind.JsonNode");
    private static final DotName STRING = DotName.createSimple(String.class);
    private static final List<DotName> COLLECTIONS = List.of(DotName.createSimple(List.class),
            DotName.createSimple(java.util.Collection.class), DotName.createSimple(java.util.Set.class));
    private static final DotName MAP = DotName.createSimple(Map.class);
    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final IndexView index;
    private final Components components;

    JsonSchemas(IndexView index, Components components) {
        this.index = index;
        this.components = components;
    }

    /** A tagged union: what a client needs to decode one of its members. */
    record Union(String schemaName, String property, Map<String, String> members) {
    }

    /**
     * Adds (or replaces) the component {@code schemaName} as the {@code oneOf} of the subtypes of {@code root}; each
     * subtype is added as {@code <SimpleName><memberSuffix>}.
     */
    Union addUnion(String root, String schemaName, String memberSuffix) {
        ClassInfo rootClass = require(DotName.createSimple(root));
        AnnotationInstance typeInfo = rootClass.declaredAnnotation(JSON_TYPE_INFO);
        AnnotationInstance subTypes = rootClass.declaredAnnotation(JSON_SUB_TYPES);
        if (typeInfo == null || subTypes == null) {
            throw new IllegalStateException(root + " is not a Jackson-tagged union (@JsonTypeInfo + @JsonSubTypes)");
        }
        AnnotationValue propertyValue = typeInfo.value("property");
        String property = propertyValue == null ? "@type" : propertyValue.asString();
        Map<String, String> members = new LinkedHashMap<>();
        List<Schema> oneOf = new ArrayList<>();
        for (AnnotationInstance subType : subTypes.value().asNestedArray()) {
            String tag = subType.value("name").asString();
            ClassInfo member = require(subType.value().asClass().name());
            String memberName = member.simpleName() + memberSuffix;
            Schema schema = objectOf(member);
            Schema tagSchema = OASFactory.createSchema().addType(SchemaType.STRING).enumeration(List.of(tag));
            Map<String, Schema> properties = new LinkedHashMap<>();
            properties.put(property, tagSchema);
            if (schema.getProperties() != null) {
                properties.putAll(schema.getProperties());
            }
            schema.setProperties(properties);
            List<String> required = new ArrayList<>(List.of(property));
            if (schema.getRequired() != null) {
                required.addAll(schema.getRequired());
            }
            schema.setRequired(required);
            components.addSchema(memberName, schema);
            members.put(tag, memberName);
            oneOf.add(ref(memberName));
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        members.forEach((tag, name) -> mapping.put(tag, "#/components/schemas/" + name));
        components.addSchema(schemaName, OASFactory.createSchema().oneOf(oneOf)
                .discriminator(OASFactory.createDiscriminator().propertyName(property).mapping(mapping)));
        return new Union(schemaName, property, members);
    }

    /** A reference to the component schema of {@code type}, built from the record when there is none yet. */
    Schema recordRef(String type) {
        ClassInfo info = require(DotName.createSimple(type));
        if (!hasComponent(info.simpleName())) {
            components.addSchema(info.simpleName(), objectOf(info));
        }
        return ref(info.simpleName());
    }

    static Schema ref(String componentName) {
        return OASFactory.createSchema().ref("#/components/schemas/" + componentName);
    }

    private Schema objectOf(ClassInfo type) {
        Schema schema = OASFactory.createSchema().addType(SchemaType.OBJECT);
        for (RecordComponentInfo component : type.recordComponents()) {
            String name = SNAKE_CASE.translate(component.name());
            schema.addProperty(name, schemaOf(component.type()));
            if (component.type().kind() == Type.Kind.PRIMITIVE) {
                schema.addRequired(name);
            }
        }
        return schema;
    }

    private Schema schemaOf(Type type) {
        return switch (type.kind()) {
            case PRIMITIVE -> primitive(type.asPrimitiveType().primitive().name().toLowerCase());
            case ARRAY -> OASFactory.createSchema().addType(SchemaType.ARRAY)
                    .items(schemaOf(type.asArrayType().constituent()));
            case PARAMETERIZED_TYPE -> parameterized(type);
            case CLASS -> classSchema(type.name());
            default -> OASFactory.createSchema();
        };
    }

    private Schema parameterized(Type type) {
        List<Type> arguments = type.asParameterizedType().arguments();
        if (COLLECTIONS.contains(type.name()) && arguments.size() == 1) {
            return OASFactory.createSchema().addType(SchemaType.ARRAY).items(schemaOf(arguments.get(0)));
        }
        if (MAP.equals(type.name()) && arguments.size() == 2) {
            return OASFactory.createSchema().addType(SchemaType.OBJECT)
                    .additionalPropertiesSchema(schemaOf(arguments.get(1)));
        }
        return classSchema(type.name());
    }

    private Schema classSchema(DotName name) {
        if (STRING.equals(name)) {
            return OASFactory.createSchema().addType(SchemaType.STRING);
        }
        if (name.packagePrefix() != null && name.packagePrefix().equals("java.lang")) {
            return primitive(boxedPrimitive(name.local()));
        }
        if (JSON_NODE.equals(name)) {
            return OASFactory.createSchema().description("Any JSON value");
        }
        ClassInfo info = index.getClassByName(name);
        if (info == null) {
            return OASFactory.createSchema();
        }
        if (!hasComponent(info.simpleName())) {
            if (info.isEnum()) {
                components.addSchema(info.simpleName(), enumOf(info));
            } else if (info.isRecord()) {
                components.addSchema(info.simpleName(), objectOf(info));
            } else {
                return OASFactory.createSchema();
            }
        }
        return ref(info.simpleName());
    }

    /** The wire values of an enum: each constant's {@code @JsonProperty} name, else its Java name. */
    private static Schema enumOf(ClassInfo info) {
        List<Object> values = new ArrayList<>();
        for (FieldInfo field : info.fields()) {
            if (field.isEnumConstant()) {
                AnnotationInstance property = field.annotation(JSON_PROPERTY);
                values.add(property != null && property.value() != null ? property.value().asString() : field.name());
            }
        }
        return OASFactory.createSchema().addType(SchemaType.STRING).enumeration(values);
    }

    private static String boxedPrimitive(String local) {
        return switch (local) {
            case "Integer" -> "int";
            case "Character" -> "char";
            default -> local.toLowerCase();
        };
    }

    private static Schema primitive(String primitive) {
        Schema s = OASFactory.createSchema();
        return switch (primitive) {
            case "boolean" -> s.addType(SchemaType.BOOLEAN);
            case "byte", "short", "int" -> s.addType(SchemaType.INTEGER).format("int32");
            case "long" -> s.addType(SchemaType.INTEGER).format("int64");
            case "float" -> s.addType(SchemaType.NUMBER).format("float");
            case "double" -> s.addType(SchemaType.NUMBER).format("double");
            case "char" -> s.addType(SchemaType.STRING);
            default -> s;
        };
    }

    private boolean hasComponent(String name) {
        return components.getSchemas() != null && components.getSchemas().containsKey(name);
    }

    private ClassInfo require(DotName name) {
        ClassInfo info = index.getClassByName(name);
        if (info == null) {
            throw new IllegalStateException(name + " is not in the index the OpenAPI document is built from");
        }
        return info;
    }
}
