package dev.hotpath.shared.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.IncompleteKey;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.Value;
import com.google.cloud.datastore.ValueType;
import com.google.gson.JsonObject;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
  private final JsonValues values = new JsonValues("p", "");

  @Test
  void everyDocumentedFormRoundTrips() {
    String json =
        "{\"s\":\"text\",\"i\":-42,\"big\":9223372036854775807,\"d\":2.5,\"whole\":2.0,\"exp\":1.0E+20,"
            + "\"nan\":{\"$double\":\"NaN\"},\"inf\":{\"$double\":\"-Infinity\"},"
            + "\"t\":true,\"n\":null,\"arr\":[1,\"two\",{\"x\":1}],\"empty\":[],"
            + "\"obj\":{\"inner\":{\"deep\":\"v\"},\"when\":{\"$timestamp\":\"2026-01-02T03:04:05.123456Z\"}},"
            + "\"ts\":{\"$timestamp\":\"2026-01-02T03:04:05Z\"},"
            + "\"key\":{\"$key\":{\"path\":[{\"kind\":\"User\",\"name\":\"ann\"},{\"kind\":\"Post\",\"id\":\"123\"}]}},"
            + "\"blob\":{\"$blob\":\"AAEC/w==\"},"
            + "\"geo\":{\"$geo\":{\"latitude\":1.5,\"longitude\":-2.5}}}";
    JsonObject in = StrictJson.parseObject(json);
    Map<String, Value<?>> props = values.properties(in, "");
    assertEquals(ValueType.LONG, props.get("i").getType());
    assertEquals(ValueType.DOUBLE, props.get("whole").getType());
    assertEquals(ValueType.ENTITY, props.get("obj").getType());
    assertEquals(ValueType.TIMESTAMP, props.get("ts").getType());
    assertEquals(ValueType.KEY, props.get("key").getType());
    assertEquals(ValueType.BLOB, props.get("blob").getType());
    assertEquals(ValueType.LAT_LNG, props.get("geo").getType());
    FullEntity.Builder<IncompleteKey> entity = FullEntity.newBuilder();
    props.forEach(entity::set);
    JsonObject out = values.toJson(entity.build());
    // Timestamps print canonically; compare the parsed forms of both sides.
    assertEquals(
        values.properties(in, ""), values.properties(StrictJson.parseObject(out.toString()), ""));
    assertEquals("-42", out.get("i").toString());
    assertEquals("2.0", out.get("whole").toString());
    assertEquals("{\"$double\":\"NaN\"}", out.get("nan").toString());
    assertEquals(in.get("obj"), out.get("obj"), "timestamps print as they were written");
  }

  @Test
  void longStringsAreLeftOutOfIndexes() {
    Map<String, Value<?>> props =
        values.properties(
            StrictJson.parseObject("{\"s\":\"" + "x".repeat(1501) + "\",\"t\":\"short\"}"), "");
    assertTrue(((StringValue) props.get("s")).excludeFromIndexes());
    assertTrue(!props.get("t").excludeFromIndexes());
  }

  @Test
  void refusesWhatDatastoreCannotHoldOrWeReserveSayingWhatAndWhere() {
    // Each input with the whole message it is refused with: which property, what is wrong.
    String reserved = "' is reserved (__…__, $… and hotpath:… are not allowed)";
    String[][] cases = {
      {"{\"__key__\":1}", "property name '__key__" + reserved},
      {"{\"\":1}", "property names must not be empty (in )"},
      {"{\"hotpath:created\":1}", "property name 'hotpath:created" + reserved},
      {"{\"$x\":1}", "property name '$x" + reserved},
      {"{\"o\":{\"__x__\":1}}", "property name 'o.__x__" + reserved},
      {
        "{\"" + "n".repeat(1501) + "\":1}",
        "property name " + "n".repeat(1501) + " is longer than 1500 bytes"
      },
      {"{\"a\":[[1]]}", "a[0]: Datastore arrays cannot contain arrays"},
      {
        "{\"a\":99999999999999999999}",
        "a: integer 99999999999999999999 is outside the 64-bit range"
      },
      {"{\"a\":1e999}", "a: number 1E+999 is outside the double range"},
      {
        "{\"a\":{\"$timestamp\":\"yesterday\"}}",
        "a: $timestamp must be RFC 3339 like 2026-01-02T03:04:05.123456Z, got 'yesterday'"
      },
      {"{\"a\":{\"$timestamp\":1}}", "a: $timestamp takes a string"},
      {
        "{\"a\":{\"$timestamp\":\"2026-01-02T03:04:05.123456789Z\"}}",
        "a: Datastore keeps timestamps to the microsecond; '2026-01-02T03:04:05.123456789Z' is finer"
      },
      {
        "{\"a\":{\"$blob\":\"***\"}}",
        "a: $blob must be standard base64: Illegal base64 character 2a"
      },
      {
        "{\"a\":{\"$double\":\"1.5\"}}",
        "a: $double takes \"NaN\", \"Infinity\" or \"-Infinity\"; write finite numbers plainly"
      },
      {
        "{\"a\":{\"$key\":{\"path\":[]}}}",
        "a: $key must be {\"path\": [{\"kind\": …, \"name\"|\"id\": …}, …]}"
      },
      {
        "{\"a\":{\"$key\":{\"path\":[{\"kind\":\"K\"}]}}}",
        "a: each $key path element must be {\"kind\": K, \"name\": N} or {\"kind\": K, \"id\": \"123\"}"
      },
      {"{\"a\":{\"$key\":{\"path\":[{\"kind\":1,\"name\":\"n\"}]}}}", "a: kind takes a string"},
      {
        "{\"a\":{\"$key\":{\"path\":[{\"kind\":\"__K__\",\"name\":\"n\"}]}}}",
        "a: key kind '__K__' is empty or reserved"
      },
      {
        "{\"a\":{\"$key\":{\"path\":[{\"kind\":\"K\",\"name\":\"\"}]}}}",
        "a: key name '' is empty or reserved"
      },
      {
        "{\"a\":{\"$key\":{\"path\":[{\"kind\":\"K\",\"id\":\"-1\"}]}}}",
        "a: key id must be a positive 64-bit integer"
      },
      {
        "{\"a\":{\"$key\":{\"path\":[{\"kind\":\"K\",\"id\":42}]}}}",
        "a: key id takes a decimal string, e.g. \"id\": \"42\", got 42"
      },
      {
        "{\"a\":{\"$geo\":{\"latitude\":91,\"longitude\":0}}}",
        "a: $geo must be {\"latitude\": -90..90, \"longitude\": -180..180}"
      },
      {
        "{\"a\":{\"$unknown\":1}}",
        "a: unknown explicit form '$unknown' (use $timestamp, $key, $blob, $double or $geo)"
      },
    };
    for (String[] c : cases) {
      String json = c[0];
      InvalidInputException e =
          assertThrows(
              InvalidInputException.class,
              () -> values.properties(StrictJson.parseObject(json), ""),
              json);
      assertEquals(c[1], e.getMessage(), json);
    }
  }
}
