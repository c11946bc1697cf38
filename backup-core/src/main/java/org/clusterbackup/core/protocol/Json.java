package org.clusterbackup.core.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.clusterbackup.core.model.UtcTime;

/**
 * The one JSON configuration of the product: wire payloads and {@code --json} output agree on it.
 * Times are UTC ISO-8601 with milliseconds and {@code Z}; missing values are written as {@code null}.
 */
public final class Json {
    /** {@code 2026-01-02T03:04:05.123Z}: the general formatter; {@link UtcTime} is the fast way to the same text. */
    public static final DateTimeFormatter TIME = UtcTime.FORMATTER;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("cluster-backup-time")
                    .addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer()))
            // A newer peer may add fields; older ones ignore what they do not know.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {}

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Formats an instant the way the product prints times. */
    public static String format(Instant instant) {
        return instant == null ? null : UtcTime.format(instant);
    }

    /** Writes a time as a JSON string in the product's format, or {@code null}, without a String in between. */
    public static void writeTime(JsonGenerator gen, Instant instant) throws IOException {
        if (instant == null) {
            gen.writeNull();
            return;
        }
        char[] text = new char[UtcTime.MAX_LENGTH];
        gen.writeString(text, 0, UtcTime.format(instant, text, 0));
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            writeTime(gen, value);
        }
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return UtcTime.parse(text);
            } catch (DateTimeException | NullPointerException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
            }
        }
    }
}
