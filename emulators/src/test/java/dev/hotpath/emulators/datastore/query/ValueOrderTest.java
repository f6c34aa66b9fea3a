package dev.hotpath.emulators.datastore.query;

import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.time;
import static dev.hotpath.emulators.datastore.query.TestData.val;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.datastore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.type.LatLng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueOrderTest {

  @Test
  void mixedTypesFollowDatastoreModeTypeOrder() {
    Value blob = Value.newBuilder().setBlobValue(ByteString.copyFromUtf8("zz")).build();
    Value geo =
        Value.newBuilder()
            .setGeoPointValue(LatLng.newBuilder().setLatitude(-90).setLongitude(0))
            .build();
    List<Value> expected =
        List.of(
            val(null),
            val(-5),
            val(100),
            val(time(0, 0)),
            val(false),
            val(true),
            blob,
            val(""),
            val("a"),
            val(-1e300),
            val(0.5),
            val(Double.NaN),
            geo,
            val(key("A", 1)));
    List<Value> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new java.util.Random(7));
    shuffled.sort(ValueOrder.VALUES);
    assertEquals(expected, shuffled);
  }

  @Test
  void integersAndDoublesAreSeparateTypes() {
    assertTrue(ValueOrder.compare(val(7), val(3.2)) < 0, "7 sorts before 3.2");
    assertTrue(ValueOrder.compare(val(1), val(1.0)) != 0, "1 and 1.0 are different values");
    assertEquals(0, ValueOrder.compare(val(0.0), val(-0.0)));
  }

  @Test
  void stringsCompareByUtf8Bytes() {
    // UTF-16 order would put the emoji (a surrogate pair) before U+FFFD; UTF-8 puts it after.
    assertTrue(ValueOrder.compare(val("\uFFFD"), val("\uD83D\uDE00")) < 0);
    assertTrue(ValueOrder.compare(val("B"), val("a")) < 0);
  }

  @Test
  void keysOrderByPathWithIdsBeforeNamesAndParentsFirst() {
    List<Value> expected =
        List.of(
            val(key("A", 1)),
            val(key("A", 1, "B", 5)),
            val(key("A", 2)),
            val(key("A", "a")),
            val(key("B", 1)));
    List<Value> sorted = new ArrayList<>(expected);
    Collections.reverse(sorted);
    sorted.sort(ValueOrder.VALUES);
    assertEquals(expected, sorted);
  }

  @Test
  void timestampsAreChronological() {
    assertTrue(ValueOrder.compare(val(time(1, 999)), val(time(2, 0))) < 0);
    assertTrue(ValueOrder.compare(val(time(2, 1)), val(time(2, 0))) > 0);
  }
}
