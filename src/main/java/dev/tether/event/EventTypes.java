package dev.tether.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.HashMap;
import java.util.Map;

/** The snake_case type name of each event class, read once from the {@link JsonSubTypes} declaration. */
final class EventTypes {

    private static final Map<Class<?>, String> NAMES = names();

    private EventTypes() {
    }

    static String nameOf(Class<?> type) {
        String name = NAMES.get(type);
        if (name == null) {
            throw new IllegalStateException("unregistered event type " + type.getSimpleName());
        }
        return name;
    }

    private static Map<Class<?>, String> names() {
        Map<Class<?>, String> map = new HashMap<>();
        for (JsonSubTypes.Type t : SessionEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            map.put(t.value(), t.name());
        }
        return Map.copyOf(map);
    }
}
