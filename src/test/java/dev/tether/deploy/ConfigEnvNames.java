package dev.tether.deploy;

import dev.tether.config.TetherConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables the service reads: the env form of every {@link TetherConfig} key (read from the
 * {@code @ConfigMapping} interface by reflection, nested groups included), the external names
 * {@code application.properties} expands ({@code ${OPENAI_API_KEY:}}) and the Quarkus keys deployments set.
 */
final class ConfigEnvNames {

    /** Quarkus runtime keys the deployment files may set. */
    static final Set<String> QUARKUS = Set.of("QUARKUS_HTTP_HOST", "QUARKUS_HTTP_PORT", "QUARKUS_DATASOURCE_JDBC_URL",
            "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");

    private static final Pattern EXPANSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private final Set<String> exact = new TreeSet<>();
    /** Env prefixes of map keys ({@code TETHER_AGENT_INSTRUCTIONS_}): any non-empty suffix names an entry. */
    private final Set<String> mapPrefixes = new TreeSet<>();

    ConfigEnvNames(Path applicationProperties) throws IOException {
        String prefix = TetherConfig.class.getAnnotation(ConfigMapping.class).prefix();
        collect(TetherConfig.class, prefix);
        Matcher m = EXPANSION.matcher(Files.readString(applicationProperties));
        while (m.find()) {
            exact.add(m.group(1));
        }
        exact.addAll(QUARKUS);
    }

    /** The MicroProfile Config env form of a property name: non-alphanumerics become {@code _}, upper case. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    /** SmallRye's default naming of a mapping method: {@code maxSessionBytes} → {@code max-session-bytes}. */
    static String kebab(String methodName) {
        return methodName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    boolean isKnown(String env) {
        if (exact.contains(env)) {
            return true;
        }
        return mapPrefixes.stream().anyMatch(p -> env.startsWith(p) && env.length() > p.length());
    }

    Set<String> exactNames() {
        return exact;
    }

    private void collect(Class<?> group, String prefix) {
        for (Method method : group.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.isSynthetic()
                    || method.getParameterCount() > 0) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String key = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (Map.class.isAssignableFrom(type)) {
                mapPrefixes.add(envName(key) + "_");
            } else if (type.isInterface() && type.getName().startsWith(TetherConfig.class.getName() + "$")) {
                collect(type, key);
            } else {
                exact.add(envName(key));
            }
        }
    }
}
