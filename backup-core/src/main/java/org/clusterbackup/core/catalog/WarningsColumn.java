package org.clusterbackup.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** An execution's warnings as its column holds them: a JSON array of strings. */
final class WarningsColumn {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WarningsColumn() {}

    static String encode(List<String> warnings) {
        try {
            return JSON.writeValueAsString(warnings == null ? List.of() : warnings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode warnings", e);
        }
    }

    static List<String> decode(String json) {
        try {
            return List.of(JSON.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new CatalogException("unreadable warnings in the catalog: " + json, e);
        }
    }
}
