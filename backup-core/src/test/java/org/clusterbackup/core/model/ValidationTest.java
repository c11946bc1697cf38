package org.clusterbackup.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    @ParameterizedTest
    @CsvSource({"5,300", "1,60", "30s,30", "5m,300", "2h,7200", "90s,90", "525600,31536000"})
    void frequencySpecsParse(String spec, long seconds) {
        assertEquals(seconds, Frequency.parseSeconds(spec));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "05", "-5", "5x", "5 m", "m", "", "1.5", "5ms", "5d", "525601", "99999999999h"})
    void badFrequencySpecsAreRefusedNamingTheValue(String spec) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Frequency.parseSeconds(spec));
        assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"300,5m", "7200,2h", "90,90s", "60,1m", "1,1s"})
    void frequenciesFormatAsTheShortestSpec(long seconds, String spec) {
        assertEquals(spec, Frequency.format(seconds));
        assertEquals(seconds, Frequency.parseSeconds(spec));
    }

    @ParameterizedTest
    @CsvSource({
        "/srv/app,/srv/app",
        "/srv/app/,/srv/app",
        "//srv//app//,/srv/app",
        "/,/",
        "///,/",
        "/srv/app.d/x,/srv/app.d/x",
        "/srv/..hidden,/srv/..hidden"
    })
    void pathsAreNormalised(String given, String normal) {
        assertEquals(normal, TargetPath.normalize(given));
    }

    @ParameterizedTest
    @ValueSource(strings = {"srv/app", "./srv", "/srv/../etc", "/srv/./app", "/..", "", "~/x"})
    void relativeAndDotPathsAreRefused(String path) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TargetPath.normalize(path));
        assertTrue(e.getMessage().contains("path"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.2,127.0.0.2",
        "Node-1.Example.COM,node-1.example.com",
        "localhost,localhost",
        "::1,::1",
        "fe80::1,fe80::1"
    })
    void nodesAreValidatedAndLowerCased(String given, String normal) {
        assertEquals(normal, NodeAddress.normalize(given));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "256.1.1.1", "1.2.3", "-node", "node_1", "a b", "node.", "[::1]", "http://x"})
    void badNodesAreRefused(String node) {
        assertThrows(InvalidInputException.class, () -> NodeAddress.normalize(node));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 65536, 100000})
    void portsOutside1To65535AreRefused(long port) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NodeAddress.checkPort(port));
        assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:7070,127.0.0.1,7070", "[::1]:7070,::1,7070", "Backup.Example:1,backup.example,1"})
    void hostPortsParse(String text, String host, int port) {
        HostPort hp = HostPort.parse(text, "--server", false);
        assertEquals(host, hp.host());
        assertEquals(port, hp.port());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.0.0.1:",
                ":7070",
                "127.0.0.1:0",
                "127.0.0.1:65536",
                "127.0.0.1:x",
                "::1:7070",
                "127.0.0.1:99999999999"
            })
    void badHostPortsAreRefusedNamingTheValue(String text) {
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> HostPort.parse(text, "--server", false));
        assertTrue(e.getMessage().contains("--server"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:0", "0.0.0.0:0"})
    void listenersMayAskForPortZero(String text) {
        assertEquals(0, HostPort.parse(text, "--listen", true).port());
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "5s,5000", "5m,300000", "2h,7200000"})
    void durationsParse(String spec, long millis) {
        assertEquals(Duration.ofMillis(millis), DurationSpec.parse(spec));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "0s", "5d", "1.5s", "s", "-5s", "5 s"})
    void durationsNeedAUnitAndAPositiveNumber(String spec) {
        assertThrows(InvalidInputException.class, () -> DurationSpec.parse(spec));
    }
}
