package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Every case of the W3C Trace Context test suite (the {@code test/} folder of the w3c/trace-context
 * repository, main branch), Level 1 and Level 2, reproduced against real servers. As in that suite,
 * the test sends a request with chosen headers to a small traced service (Spring MVC on Tomcat,
 * calling out with the auto-configured {@code RestClient}), which calls a receiver back once per
 * URL in the request body; the test then reads the trace headers the receiver got. The receiver is
 * a second Tomcat application, untraced, with Tomcat's default limits: so it is also the next hop
 * of the outbound budget test (issue 13, defect 6).
 *
 * <p>The service produces {@code w3c,b3,jaeger}: the suite checks W3C headers only, and the other
 * formats must not disturb them. Requests are written on a raw socket, so that repeated headers,
 * header-name casing and whitespace reach Tomcat exactly as each case sends them.
 *
 * <p>Each test names its case of the suite in a comment: {@code TraceContextTest} and {@code
 * AdvancedTest} are Level 1, {@code TraceContext2Test} is Level 2. The tests after those go beyond
 * the suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class AbstractW3CTraceContextIT {
  static final String TRACE_ID = "12345678901234567890123456789012";
  static final String PARENT_ID = "1234567890123456";
  static final String TRACEPARENT_00 = "00-" + TRACE_ID + "-" + PARENT_ID + "-00";
  static final String TRACEPARENT_01 = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";

  /** The budget of {@code Propagation}, in the README: all trace headers of one request. */
  static final int OUTBOUND_BUDGET = 4096;

  // The W3C grammar, written from the specification's ABNF: what the receiver must get.
  static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
  static final Pattern MEMBER =
      Pattern.compile(
          "([a-z0-9][a-z0-9_\\-*/@]{0,255})=([\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}"
              + "[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e])");
  static final Pattern MEMBER_SEPARATOR = Pattern.compile("[ \\t]*,[ \\t]*");

  ConfigurableApplicationContext receiver, service;
  int servicePort;
  String receiverUrl;
  Callbacks callbacks;

  @BeforeAll
  void startApplications() {
    receiver =
        CrossServiceApps.start(
            WebApplicationType.SERVLET, List.of(Receiver.class), "spantrail.enabled=false");
    callbacks = receiver.getBean(Callbacks.class);
    receiverUrl = "http://127.0.0.1:" + CrossServiceApps.port(receiver) + "/callback/";
    service =
        CrossServiceApps.start(
            WebApplicationType.SERVLET,
            List.of(TraceContextService.class, CrossServiceApps.InMemoryReporter.class),
            "spantrail.propagation.type=w3c,b3,jaeger");
    servicePort = CrossServiceApps.port(service);
    call(1); // as the suite does once before its cases: the first request warms up
  }

  @AfterAll
  void stopApplications() {
    if (service != null) service.close();
    if (receiver != null) receiver.close();
    dev.spantrail.tracing.testing.GlobalTracerSupport.reset();
  }

  @AfterEach
  void scopesClosedProperly() {
    StrictScopes.assertClean(service);
  }

  // ---- Level 1: TraceContextTest

  @Test // test_both_traceparent_and_tracestate_missing
  void startsATraceWhenNeitherHeaderIsSent() {
    assertThat(single().traceparent().traceId()).isNotEqualTo("0".repeat(32));
  }

  @Test // test_traceparent_included_tracestate_missing
  void keepsTraceIdWithNewParentIdWhenOnlyTraceparentIsSent() {
    Traceparent traceparent = single("traceparent", TRACEPARENT_01).traceparent();

    assertThat(traceparent.traceId()).isEqualTo(TRACE_ID);
    assertThat(traceparent.parentId()).isNotEqualTo(PARENT_ID);
  }

  @Test // test_traceparent_duplicated
  void startsANewTraceWhenTwoDifferentTraceparentsAreSent() {
    Traceparent traceparent =
        single(
                "traceparent",
                "00-12345678901234567890123456789011-1234567890123456-01",
                "traceparent",
                TRACEPARENT_01)
            .traceparent();

    assertThat(traceparent.traceId())
        .isNotEqualTo("12345678901234567890123456789011")
        .isNotEqualTo(TRACE_ID);
  }

  @Test // test_traceparent_header_name
  void ignoresTraceparentUnderOtherNames() {
    assertNewTrace("trace-parent", TRACEPARENT_01);
    assertNewTrace("trace.parent", TRACEPARENT_01);
  }

  @Test // test_traceparent_header_name_valid_casing
  void readsTraceparentNameInAnyCase() {
    for (String name : List.of("TraceParent", "TrAcEpArEnT", "TRACEPARENT")) {
      assertThat(single(name, TRACEPARENT_01).traceparent().traceId()).as(name).isEqualTo(TRACE_ID);
    }
  }

  @Test // test_traceparent_version_0x00
  void startsANewTraceWhenVersion00HasTrailingCharacters() {
    assertNewTrace("traceparent", TRACEPARENT_01 + ".");
    assertNewTrace("traceparent", TRACEPARENT_01 + "-what-the-future-will-be-like");
  }

  @Test // test_traceparent_version_0xcc
  void readsFutureVersionByItsFirstFourFields() {
    String future = "cc-" + TRACE_ID + "-" + PARENT_ID + "-01";

    assertThat(single("traceparent", future).traceparent().traceId()).isEqualTo(TRACE_ID);
    assertThat(
            single("traceparent", future + "-what-the-future-will-be-like").traceparent().traceId())
        .isEqualTo(TRACE_ID);
    assertNewTrace("traceparent", future + ".what-the-future-will-be-like");
  }

  @Test // test_traceparent_version_0xff
  void startsANewTraceWhenVersionIsFf() {
    assertNewTrace("traceparent", "ff-" + TRACE_ID + "-" + PARENT_ID + "-01");
  }

  @Test // test_traceparent_version_illegal_characters
  void startsANewTraceWhenVersionHasIllegalCharacters() {
    assertNewTrace("traceparent", ".0-" + TRACE_ID + "-" + PARENT_ID + "-01");
    assertNewTrace("traceparent", "0.-" + TRACE_ID + "-" + PARENT_ID + "-01");
  }

  @Test // test_traceparent_version_too_long
  void startsANewTraceWhenVersionIsTooLong() {
    assertNewTrace("traceparent", "000-" + TRACE_ID + "-" + PARENT_ID + "-01");
    assertNewTrace("traceparent", "0000-" + TRACE_ID + "-" + PARENT_ID + "-01");
  }

  @Test // test_traceparent_version_too_short
  void startsANewTraceWhenVersionIsTooShort() {
    assertNewTrace("traceparent", "0-" + TRACE_ID + "-" + PARENT_ID + "-01");
  }

  @Test // test_traceparent_trace_id_all_zero
  void startsANewTraceWhenTraceIdIsAllZeros() {
    String zeros = "0".repeat(32);

    assertThat(
            single("traceparent", "00-" + zeros + "-" + PARENT_ID + "-01").traceparent().traceId())
        .isNotEqualTo(zeros);
  }

  @Test // test_traceparent_trace_id_illegal_characters
  void startsANewTraceWhenTraceIdHasIllegalCharacters() {
    String first = "." + TRACE_ID.substring(1), last = TRACE_ID.substring(0, 31) + ".";

    assertThat(
            single("traceparent", "00-" + first + "-" + PARENT_ID + "-01").traceparent().traceId())
        .isNotEqualTo(first)
        .isNotEqualTo(TRACE_ID);
    assertThat(
            single("traceparent", "00-" + last + "-" + PARENT_ID + "-01").traceparent().traceId())
        .isNotEqualTo(last)
        .isNotEqualTo(TRACE_ID);
  }

  @Test // test_traceparent_trace_id_too_long
  void startsANewTraceWhenTraceIdIsTooLong() {
    String traceId =
        single("traceparent", "00-" + TRACE_ID + "3-" + PARENT_ID + "-01").traceparent().traceId();

    assertThat(traceId)
        .isNotEqualTo(TRACE_ID + "3")
        .isNotEqualTo(TRACE_ID)
        .isNotEqualTo(TRACE_ID.substring(1) + "3");
  }

  @Test // test_traceparent_trace_id_too_short
  void startsANewTraceWhenTraceIdIsTooShort() {
    String shorter = TRACE_ID.substring(0, 31);

    assertThat(
            single("traceparent", "00-" + shorter + "-" + PARENT_ID + "-01")
                .traceparent()
                .traceId())
        .isNotEqualTo(shorter)
        .isNotEqualTo(TRACE_ID);
  }

  @Test // test_traceparent_parent_id_all_zero
  void startsANewTraceWhenParentIdIsAllZeros() {
    assertNewTrace("traceparent", "00-" + TRACE_ID + "-0000000000000000-01");
  }

  @Test // test_traceparent_parent_id_illegal_characters
  void startsANewTraceWhenParentIdHasIllegalCharacters() {
    assertNewTrace("traceparent", "00-" + TRACE_ID + "-.234567890123456-01");
    assertNewTrace("traceparent", "00-" + TRACE_ID + "-123456789012345.-01");
  }

  @Test // test_traceparent_parent_id_too_long
  void startsANewTraceWhenParentIdIsTooLong() {
    assertNewTrace("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "7-01");
  }

  @Test // test_traceparent_parent_id_too_short
  void startsANewTraceWhenParentIdIsTooShort() {
    assertNewTrace("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID.substring(0, 15) + "-01");
  }

  @Test // test_traceparent_trace_flags_illegal_characters
  void startsANewTraceWhenFlagsHaveIllegalCharacters() {
    assertNewTrace("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-.0");
    assertNewTrace("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-0.");
  }

  @Test // test_traceparent_trace_flags_too_long
  void startsANewTraceWhenFlagsAreTooLong() {
    assertNewTrace("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-001");
  }

  @Test // test_traceparent_trace_flags_too_short
  void startsANewTraceWhenFlagsAreTooShort() {
    assertNewTrace("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-1");
  }

  @Test // test_traceparent_ows_handling
  void ignoresSpacesAndTabsAroundTraceparent() {
    for (String value :
        List.of(
            " " + TRACEPARENT_01,
            "\t" + TRACEPARENT_01,
            TRACEPARENT_01 + " ",
            TRACEPARENT_01 + "\t",
            "\t " + TRACEPARENT_01 + " \t")) {
      assertThat(single("traceparent", value).traceparent().traceId())
          .as("'%s'", value)
          .isEqualTo(TRACE_ID);
    }
  }

  @Test // test_tracestate_included_traceparent_missing
  void dropsTracestateWithoutTraceparent() {
    Tracestate one = single("tracestate", "foo=1").tracestate();
    Tracestate two = single("tracestate", "foo=1,bar=2").tracestate();

    assertThat(one.members()).hasSameSizeAs(two.members());
    assertThat(one.members()).doesNotContainKey("foo");
  }

  @Test // test_tracestate_included_traceparent_included
  void passesTracestateOnWithItsTraceparent() {
    Received received = single("traceparent", TRACEPARENT_00, "tracestate", "foo=1,bar=2");

    assertThat(received.traceparent().traceId()).isEqualTo(TRACE_ID);
    assertThat(received.tracestate().members()).containsEntry("foo", "1").containsEntry("bar", "2");
  }

  @Test // test_tracestate_header_name
  void ignoresTracestateUnderOtherNames() {
    for (String name : List.of("trace-state", "trace.state")) {
      assertThat(single("traceparent", TRACEPARENT_00, name, "foo=1").tracestate().members())
          .as(name)
          .doesNotContainKey("foo");
    }
  }

  @Test // test_tracestate_header_name_valid_casing
  void readsTracestateNameInAnyCase() {
    for (String name : List.of("TraceState", "TrAcEsTaTe", "TRACESTATE")) {
      assertThat(single("traceparent", TRACEPARENT_00, name, "foo=1").tracestate().members())
          .as(name)
          .containsEntry("foo", "1");
    }
  }

  @Test // test_tracestate_empty_header
  void acceptsEmptyTracestateHeaders() {
    assertThat(single("traceparent", TRACEPARENT_00, "tracestate", "").traceparent().traceId())
        .isEqualTo(TRACE_ID);
    for (String[] headers :
        List.of(
            new String[] {"traceparent", TRACEPARENT_00, "tracestate", "foo=1", "tracestate", ""},
            new String[] {
              "traceparent", TRACEPARENT_00, "tracestate", "", "tracestate", "foo=1"
            })) {
      Received received = single(headers);

      assertThat(received.traceparent().traceId()).isEqualTo(TRACE_ID);
      assertThat(received.tracestate().members()).containsEntry("foo", "1");
    }
  }

  @Test // test_tracestate_multiple_headers_different_keys
  void combinesSeveralTracestateHeadersInOrder() {
    Received received =
        single(
            "traceparent",
            TRACEPARENT_00,
            "tracestate",
            "foo=1,bar=2",
            "tracestate",
            "rojo=1,congo=2",
            "tracestate",
            "baz=3");

    assertThat(received.traceparent().traceId()).isEqualTo(TRACE_ID);
    assertThat(received.tracestate().members())
        .containsExactly(
            Map.entry("foo", "1"),
            Map.entry("bar", "2"),
            Map.entry("rojo", "1"),
            Map.entry("congo", "2"),
            Map.entry("baz", "3"));
  }

  @Test // test_tracestate_duplicated_keys
  void passesTracestateOnWhenAKeyRepeats() {
    for (String[] states :
        List.of(
            new String[] {"foo=1,foo=1"},
            new String[] {"foo=1,foo=2"},
            new String[] {"foo=1", "foo=1"},
            new String[] {"foo=1", "foo=2"})) {
      List<String> headers = new ArrayList<>(List.of("traceparent", TRACEPARENT_00));
      for (String state : states) headers.addAll(List.of("tracestate", state));
      Received received = single(headers.toArray(new String[0]));

      assertThat(received.traceparent().traceId()).isEqualTo(TRACE_ID);
      assertThat(received.tracestate().members())
          .as(String.join(" | ", states))
          .hasEntrySatisfying("foo", value -> assertThat(value).isIn("1", "2"));
    }
  }

  @Test // test_tracestate_all_allowed_characters
  void passesTracestateOnWithEveryAllowedCharacter() {
    StringBuilder key = new StringBuilder();
    for (char c = 'a'; c <= 'z'; c++) key.append(c);
    key.append("0123456789_-*/");
    StringBuilder value = new StringBuilder();
    for (char c = 0x20; c <= 0x7e; c++) {
      if (c != ',' && c != '=') value.append(c);
    }
    for (String k : List.of(key.toString(), key + "@a-z0-9_-*/")) {
      assertThat(
              single("traceparent", TRACEPARENT_00, "tracestate", k + "=" + value)
                  .tracestate()
                  .members())
          .containsEntry(k, value.toString());
    }
  }

  @Test // test_tracestate_ows_handling
  void ignoresSpacesAndTabsAroundTracestateMembers() {
    for (String state :
        List.of("foo=1 \t , \t bar=2, \t baz=3", "foo=1\t \t,\t \tbar=2,\t \tbaz=3")) {
      assertThat(single("traceparent", TRACEPARENT_00, "tracestate", state).tracestate().members())
          .as("'%s'", state)
          .containsEntry("foo", "1")
          .containsEntry("bar", "2")
          .containsEntry("baz", "3");
    }
    for (String state : List.of(" foo=1", "\tfoo=1", "foo=1 ", "foo=1\t", "\t foo=1 \t")) {
      Received received = single("traceparent", TRACEPARENT_00, "tracestate", state);

      assertThat(received.traceparent().traceId()).isEqualTo(TRACE_ID);
      assertThat(received.tracestate().members()).as("'%s'", state).containsEntry("foo", "1");
    }
  }

  @Test // test_tracestate_key_illegal_characters
  void dropsTracestateWhenAKeyHasIllegalCharacters() {
    for (String state : List.of("foo =1", "FOO=1", "foo.bar=1")) {
      assertThat(single("traceparent", TRACEPARENT_00, "tracestate", state).tracestate().members())
          .as(state)
          .isEmpty();
    }
  }

  @Test // test_tracestate_key_illegal_vendor_format
  void passesOnKeysWithAtSignsAnywhereButFirst() {
    for (String key : List.of("foo@", "foo@@bar", "foo@bar@baz")) {
      assertThat(
              single("traceparent", TRACEPARENT_00, "tracestate", key + "=1,bar=2")
                  .tracestate()
                  .members())
          .as(key)
          .containsEntry(key, "1")
          .containsEntry("bar", "2");
    }
    assertThat(
            single("traceparent", TRACEPARENT_00, "tracestate", "@foo=1,bar=2")
                .tracestate()
                .members())
        .doesNotContainKey("bar");
  }

  @Test // test_tracestate_member_count_limit
  void passesOn32MembersAndDropsTracestateOf33() {
    assertThat(membersAfter(32)).hasSize(32).containsEntry("bar01", "01");
    assertThat(membersAfter(33)).doesNotContainKey("bar01");
  }

  Map<String, String> membersAfter(int count) {
    List<String> headers = new ArrayList<>(List.of("traceparent", TRACEPARENT_00));
    StringBuilder state = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      if (state.length() > 0) state.append(',');
      state.append(String.format("bar%02d=%02d", i, i));
      if (i % 10 == 0 || i == count) { // in headers of ten members, as the suite sends them
        headers.addAll(List.of("tracestate", state.toString()));
        state.setLength(0);
      }
    }
    return single(headers.toArray(new String[0])).tracestate().members();
  }

  @Test // test_tracestate_key_length_limit
  void passesOnKeysOf256CharactersAndDropsTracestateWithLongerOnes() {
    for (String key :
        List.of(
            "z".repeat(256),
            "t".repeat(241) + "@" + "v".repeat(14),
            "t".repeat(242) + "@v",
            "t@" + "v".repeat(15))) {
      assertThat(
              single("traceparent", TRACEPARENT_00, "tracestate", "foo=1", "tracestate", key + "=1")
                  .tracestate()
                  .members())
          .as("a key of %d characters", key.length())
          .containsEntry("foo", "1")
          .containsEntry(key, "1");
    }
    assertThat(
            single(
                    "traceparent",
                    TRACEPARENT_00,
                    "tracestate",
                    "foo=1",
                    "tracestate",
                    "z".repeat(257) + "=1")
                .tracestate()
                .members())
        .doesNotContainKey("foo");
  }

  @Test // test_tracestate_value_illegal_characters
  void dropsTracestateWhenAValueIsIllegal() {
    assertThat(
            single("traceparent", TRACEPARENT_00, "tracestate", "foo=bar=baz")
                .tracestate()
                .members())
        .doesNotContainKey("foo");
    assertThat(
            single("traceparent", TRACEPARENT_00, "tracestate", "foo=,bar=3")
                .tracestate()
                .members())
        .doesNotContainKey("foo")
        .doesNotContainKey("bar");
  }

  // ---- Level 1: AdvancedTest

  @Test // test_multiple_requests_with_valid_traceparent
  void givesEachCallItsOwnParentIdInTheInboundTrace() {
    List<Traceparent> traceparents = traceparents(call(3, "traceparent", TRACEPARENT_01));

    assertThat(traceparents).extracting(Traceparent::traceId).containsOnly(TRACE_ID);
    assertThat(traceparents).extracting(Traceparent::parentId).doesNotHaveDuplicates();
  }

  @Test // test_multiple_requests_without_traceparent
  void givesEachCallItsOwnParentIdInANewTrace() {
    assertThat(traceparents(call(3))).extracting(Traceparent::parentId).doesNotHaveDuplicates();
  }

  @Test // test_multiple_requests_with_illegal_traceparent
  void givesEachCallItsOwnParentIdInANewTraceWhenTraceparentIsIllegal() {
    List<Traceparent> traceparents =
        traceparents(call(3, "traceparent", "00-" + "0".repeat(32) + "-" + PARENT_ID + "-01"));

    assertThat(traceparents).extracting(Traceparent::traceId).doesNotContain("0".repeat(32));
    assertThat(traceparents).extracting(Traceparent::parentId).doesNotHaveDuplicates();
  }

  // ---- Level 2: TraceContext2Test

  @Test // test_propagates_random_flag
  void passesTheRandomTraceIdFlagOn() {
    Traceparent traceparent =
        single("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-02").traceparent();

    assertThat(traceparent.traceId()).isEqualTo(TRACE_ID);
    assertThat(traceparent.parentId()).isNotEqualTo(PARENT_ID);
    assertThat(traceparent.flags() & 0x02).as("random-trace-id flag").isEqualTo(0x02);
  }

  // ---- beyond the suite: the rest of Level 2's random-trace-id rules, and the outbound budget

  @Test
  void setsTheRandomTraceIdFlagWhenItStartsTheTrace() {
    assertThat(single().traceparent().flags() & 0x02).isEqualTo(0x02);
    assertThat(single("traceparent", "ff-" + TRACE_ID + "-" + PARENT_ID + "-00").traceparent())
        .satisfies(traceparent -> assertThat(traceparent.flags() & 0x02).isEqualTo(0x02));
  }

  @Test
  void leavesTheRandomTraceIdFlagUnsetWhenTheInboundTraceHasItUnset() {
    for (String flags : List.of("00", "01")) {
      Traceparent traceparent =
          single("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-" + flags).traceparent();

      assertThat(traceparent.traceId()).isEqualTo(TRACE_ID);
      assertThat(traceparent.flags() & 0x02).as(flags).isZero();
      assertThat(traceparent.flags() & 0x01).as(flags).isEqualTo(Integer.parseInt(flags));
    }
  }

  /**
   * About 8,000 bytes of inbound baggage, in every produce format, once became some 24 KB of
   * outbound headers, which the receiver's Tomcat refuses: the service's call then failed.
   */
  @Test
  void keepsOutboundTraceHeadersWithinBudgetSoTheNextTomcatAcceptsThem() {
    StringBuilder baggage = new StringBuilder();
    Map<String, String> sent = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) { // 7,680 bytes of keys and values: Tomcat takes the request
      String key = String.format("key-%03d", i), value = "v".repeat(128 - key.length());
      sent.put(key, value);
      if (baggage.length() > 0) baggage.append(',');
      baggage.append(key).append('=').append(value);
    }

    Received received = single("traceparent", TRACEPARENT_01, "baggage", baggage.toString());

    assertThat(received.traceHeaderBytes()).isLessThanOrEqualTo(OUTBOUND_BUDGET);
    Map<String, String> w3c = received.w3cBaggage();
    assertThat(w3c).isNotEmpty().containsKey("key-000");
    w3c.forEach((key, value) -> assertThat(sent).containsEntry(key, value)); // whole items
    assertThat(received.prefixBaggage("baggage-")).isEqualTo(w3c);
    assertThat(received.prefixBaggage("uberctx-")).isEqualTo(w3c);
  }

  // ---- the harness

  void assertNewTrace(String name, String value) {
    assertThat(single(name, value).traceparent().traceId())
        .as("%s: %s", name, value)
        .isNotEqualTo(TRACE_ID);
  }

  static List<Traceparent> traceparents(List<Received> received) {
    List<Traceparent> traceparents = new ArrayList<>();
    for (Received one : received) traceparents.add(one.traceparent());
    return traceparents;
  }

  /** Sends the headers (name, value, ...) and asks for one callback. */
  Received single(String... headers) {
    return call(1, headers).get(0);
  }

  /**
   * Posts to the service, with these headers as given, a body that asks for {@code count}
   * callbacks; returns what the receiver got from each. The service answers after its calls.
   */
  List<Received> call(int count, String... headers) {
    String id = UUID.randomUUID().toString();
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < count; i++)
      body.append(receiverUrl).append(id).append('-').append(i).append('\n');
    String response = post(servicePort, headers, body.toString());
    assertThat(response).as("the service's response").startsWith("HTTP/1.1 200");
    List<Received> received = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String[]> got = callbacks.received.get(id + "-" + i);
      if (got == null) fail("the service made no callback " + i + "; it answered:\n" + response);
      received.add(new Received(got));
    }
    return received;
  }

  /** A POST written on a raw socket: headers go out exactly as given, repeats and all. */
  static String post(int port, String[] headers, String body) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder("POST /test HTTP/1.1\r\nHost: 127.0.0.1:")
            .append(port)
            .append("\r\nContent-Type: text/plain\r\nContent-Length: ")
            .append(content.length)
            .append("\r\nConnection: close\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      in.transferTo(response); // Connection: close, so the server ends the stream
      return response.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new AssertionError("request to the service failed", e);
    }
  }

  /** A valid {@code traceparent}, as received. */
  record Traceparent(String version, String traceId, String parentId, int flags) {}

  /** The members of the {@code tracestate} headers received, the first of a repeated key kept. */
  record Tracestate(Map<String, String> members) {}

  /** The headers of one callback, names and values as received, in order. */
  record Received(List<String[]> headers) {
    List<String> values(String name) {
      List<String> values = new ArrayList<>();
      for (String[] header : headers) {
        if (header[0].equalsIgnoreCase(name)) values.add(header[1]);
      }
      return values;
    }

    /** Exactly one {@code traceparent}, valid: the test fails otherwise. */
    Traceparent traceparent() {
      List<String> values = values("traceparent");
      assertThat(values).as("traceparent headers received").hasSize(1);
      Matcher m = TRACEPARENT.matcher(values.get(0));
      assertThat(m.matches()).as("a valid traceparent: '%s'", values.get(0)).isTrue();
      assertThat(m.group(1)).as("version").isNotEqualTo("ff");
      return new Traceparent(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4), 16));
    }

    /** Every member of every {@code tracestate} must be valid: the test fails otherwise. */
    Tracestate tracestate() {
      Map<String, String> members = new LinkedHashMap<>();
      for (String value : values("tracestate")) {
        for (String member : MEMBER_SEPARATOR.split(value.strip(), -1)) {
          if (member.isEmpty()) continue;
          Matcher m = MEMBER.matcher(member);
          assertThat(m.matches()).as("a valid tracestate member: '%s'", member).isTrue();
          members.putIfAbsent(m.group(1), m.group(2));
        }
      }
      return new Tracestate(members);
    }

    /** The bytes of the trace headers received, as on HTTP/1.1: name, ": ", value, CRLF. */
    int traceHeaderBytes() {
      int bytes = 0;
      for (String[] header : headers) {
        String name = header[0].toLowerCase(Locale.ROOT);
        if (CrossServiceApps.TRACE_HEADERS.stream().anyMatch(name::equalsIgnoreCase)
            || name.equals("baggage")
            || name.startsWith("baggage-")
            || name.startsWith("uberctx-")) {
          bytes += header[0].length() + 2 + header[1].length() + 2;
        }
      }
      return bytes;
    }

    Map<String, String> w3cBaggage() {
      Map<String, String> items = new LinkedHashMap<>();
      for (String value : values("baggage")) {
        for (String member : value.split(",")) {
          int equals = member.indexOf('=');
          items.put(member.substring(0, equals).strip(), member.substring(equals + 1).strip());
        }
      }
      return items;
    }

    Map<String, String> prefixBaggage(String prefix) {
      Map<String, String> items = new LinkedHashMap<>();
      for (String[] header : headers) {
        if (header[0].regionMatches(true, 0, prefix, 0, prefix.length())) {
          items.put(header[0].substring(prefix.length()).toLowerCase(Locale.ROOT), header[1]);
        }
      }
      return items;
    }
  }

  /** The traced service: posts to each URL of the body, one per line, then answers. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(ServiceController.class)
  public static class TraceContextService {}

  @RestController
  static class ServiceController {
    final RestClient client;

    ServiceController(RestClient.Builder builder) {
      this.client = builder.build();
    }

    @PostMapping("/test")
    String test(@RequestBody(required = false) String body) {
      if (body == null) return "ok";
      for (String url : body.split("\n")) {
        if (url.isBlank()) continue;
        client
            .post()
            .uri(url.strip())
            .contentType(MediaType.TEXT_PLAIN)
            .body("[]")
            .retrieve()
            .toBodilessEntity();
      }
      return "ok";
    }
  }

  /** The receiver, untraced, with Tomcat's default limits: records what each callback carried. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(ReceiverController.class)
  public static class Receiver {
    @Bean
    Callbacks callbacks() {
      return new Callbacks();
    }
  }

  static final class Callbacks {
    final Map<String, List<String[]>> received = new ConcurrentHashMap<>();
  }

  @RestController
  static class ReceiverController {
    final Callbacks callbacks;

    ReceiverController(Callbacks callbacks) {
      this.callbacks = callbacks;
    }

    @RequestMapping("/callback/{id}")
    String callback(@PathVariable String id, HttpServletRequest request) {
      List<String[]> headers = new ArrayList<>();
      for (String name : Collections.list(request.getHeaderNames())) {
        for (String value : Collections.list(request.getHeaders(name))) {
          headers.add(new String[] {name, value});
        }
      }
      callbacks.received.put(id, headers);
      return "ok";
    }
  }
}
