package dev.hotpath.functions.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.functions.HttpFunction;
import dev.hotpath.functions.DeferredUpdateWorker;
import dev.hotpath.functions.TurnWatchdog;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.shared.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The functions Terraform deploys: real entry points, exactly the environment each reads, the SSH
 * key only as a secret, and the scheduler calling the watchdog every minute with an OIDC token.
 */
class TerraformFunctionsTest {
  private static final String FUNCTION = "google_cloudfunctions2_function";

  /**
   * Variables Terraform may set beyond the code's settings: read by the JVM, not by hotpath ({@code
   * -Dhttp.maxConnections} lets the Datastore client keep enough connections open).
   */
  private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

  private static final TerraformModule MODULE = TerraformModule.load();

  @Test
  void theThreeEntryPointsAreDeployed() {
    Set<String> entryPoints = new TreeSet<>();
    MODULE.resources(FUNCTION).values().forEach(f -> entryPoints.add(entryPoint(f)));
    assertEquals(
        new TreeSet<>(
            Set.of(
                WriteApi.class.getName(),
                DeferredUpdateWorker.class.getName(),
                TurnWatchdog.class.getName())),
        entryPoints);
  }

  @Test
  void everyEntryPointIsAnHttpFunctionOnJava21() throws Exception {
    for (Map.Entry<String, Map<String, Object>> function : MODULE.resources(FUNCTION).entrySet()) {
      Class<?> entry = Class.forName(entryPoint(function.getValue()));
      assertTrue(HttpFunction.class.isAssignableFrom(entry), entry + " is not an HttpFunction");
      assertEquals(
          "java21",
          TerraformModule.string(
              TerraformModule.at(function.getValue(), "build_config"), "runtime"));
    }
  }

  @Test
  void eachFunctionGetsExactlyTheSettingsItsEntryPointReads() throws Exception {
    for (Map.Entry<String, Map<String, Object>> function : MODULE.resources(FUNCTION).entrySet()) {
      Map<String, Object> service = TerraformModule.at(function.getValue(), "service_config");
      Set<String> set =
          new TreeSet<>(TerraformModule.map(service.get("environment_variables")).keySet());
      set.removeAll(JVM_VARIABLES);
      set.addAll(secretKeys(function.getValue()));
      assertEquals(deployedSettings(entryPoint(function.getValue())), set, function.getKey());
    }
  }

  @Test
  void privateKeysArriveOnlyAsSecrets() {
    for (Map<String, Object> function : MODULE.resources(FUNCTION).values()) {
      Map<String, Object> service = TerraformModule.at(function, "service_config");
      TerraformModule.map(service.get("environment_variables"))
          .keySet()
          .forEach(
              name ->
                  assertFalse(
                      name.contains("PRIVATE_KEY"), name + " is a plain environment variable"));
    }
    Map<String, Object> watchdog = function(TurnWatchdog.class);
    assertEquals(
        Set.of("TURN_SSH_PRIVATE_KEY", "TURN_REST_SECRET", "TURN_USERNAME", "TURN_PASSWORD"),
        secretKeys(watchdog));
  }

  @Test
  void theWriteApiServesConcurrentRequestsOnAWholeCpu() {
    Map<String, Object> writeApi = function(WriteApi.class);
    Map<String, Object> service = TerraformModule.at(writeApi, "service_config");
    assertEquals(
        "var.write_api_request_concurrency",
        TerraformModule.string(service, "max_instance_request_concurrency"));
    Map<String, Object> concurrency =
        MODULE.blocks("variable").get("write_api_request_concurrency");
    assertTrue(((Number) concurrency.get("default")).intValue() > 1);
    Map<String, Object> cpu = MODULE.blocks("variable").get("write_api_vcpus");
    assertTrue(((Number) cpu.get("default")).doubleValue() >= 1);
  }

  @Test
  void theSchedulerPostsToTheWatchdogEveryMinuteWithOidc() {
    String watchdog = functionName(TurnWatchdog.class);
    List<Map<String, Object>> jobs = jobsCalling(watchdog);
    assertEquals(1, jobs.size());
    Map<String, Object> job = jobs.get(0);
    assertEquals("* * * * *", TerraformModule.string(job, "schedule"));
    Map<String, Object> target = TerraformModule.at(job, "http_target");
    assertEquals("POST", TerraformModule.string(target, "http_method"));
    assertTrue(
        TerraformModule.string(target, "uri").startsWith(FUNCTION + "." + watchdog + "."),
        target.toString());
    Map<String, Object> oidc = TerraformModule.at(target, "oidc_token");
    String account = TerraformModule.string(oidc, "service_account_email");
    assertTrue(
        account.startsWith("google_service_account."), "OIDC token of a service account: " + oidc);
    assertFalse(TerraformModule.string(job, "attempt_deadline").isEmpty());
    assertFalse(TerraformModule.at(job, "retry_config").isEmpty());
    // ...and that account is the watchdog's only invoker.
    assertEquals(
        Set.of("serviceAccount:" + account), TerraformAccessTest.invokers(MODULE, watchdog));
  }

  /**
   * Several rounds per minute make a tick's request last most of a minute: the function's timeout
   * and the scheduler's deadline must come from the derived tick length, not the bare variable.
   */
  @Test
  void theWatchdogsTimeoutCoversATicksRounds() {
    Map<String, Object> service =
        TerraformModule.at(function(TurnWatchdog.class), "service_config");
    assertEquals("local.watchdog_timeout_s", String.valueOf(service.get("timeout_seconds")));
    Map<String, Object> job = jobsCalling(functionName(TurnWatchdog.class)).get(0);
    assertTrue(
        TerraformModule.string(job, "attempt_deadline").contains("local.watchdog_timeout_s"),
        String.valueOf(job.get("attempt_deadline")));
    String locals =
        MODULE.sources().values().stream()
            .flatMap(text -> text.lines())
            .filter(line -> line.matches("\\s*watchdog_(tick|timeout)_s\\s*=.*"))
            .reduce("", (a, b) -> a + b + "\n");
    assertTrue(
        locals.contains("var.turn_rounds_per_minute")
            && locals.contains("var.turn_target_timeout_s")
            && locals.contains("max(var.watchdog_timeout_s, local.watchdog_tick_s + 30)"),
        locals);
  }

  @Test
  void theSweepOfStrandedOperationsRunsEveryMinuteWithAnAccountThatMayOnlyInvokeTheWriteApi() {
    String writeApi = functionName(WriteApi.class);
    List<Map<String, Object>> jobs = jobsCalling(writeApi);
    assertEquals(1, jobs.size());
    Map<String, Object> job = jobs.get(0);
    assertEquals("* * * * *", TerraformModule.string(job, "schedule"));
    Map<String, Object> target = TerraformModule.at(job, "http_target");
    assertEquals("POST", TerraformModule.string(target, "http_method"));
    assertTrue(
        TerraformModule.string(target, "uri").endsWith("/v1/operations:sweep"), target.toString());
    String account =
        TerraformModule.string(TerraformModule.at(target, "oidc_token"), "service_account_email");
    assertTrue(account.startsWith("google_service_account."), account);
    assertTrue(
        TerraformAccessTest.invokers(MODULE, writeApi).contains("serviceAccount:" + account));
    for (String other :
        List.of(functionName(DeferredUpdateWorker.class), functionName(TurnWatchdog.class))) {
      assertFalse(
          TerraformAccessTest.invokers(MODULE, other).contains("serviceAccount:" + account), other);
    }
    String accountResource = account.substring(0, account.lastIndexOf('.'));
    MODULE
        .allResources()
        .forEach(
            (name, body) -> {
              if (name.contains("_iam_") && String.valueOf(body).contains(accountResource + ".")) {
                assertEquals(
                    "roles/run.invoker",
                    TerraformModule.string(body, "role"),
                    name + " grants the sweeper more");
              }
            });
  }

  /** The scheduler jobs whose target is function resource {@code function}'s service. */
  private static List<Map<String, Object>> jobsCalling(String function) {
    return MODULE.resources("google_cloud_scheduler_job").values().stream()
        .filter(
            job ->
                TerraformModule.string(TerraformModule.at(job, "http_target"), "uri")
                    .contains(FUNCTION + "." + function + "."))
        .toList();
  }

  @Test
  void onlyTheTasksServiceAccountInvokesTheWorker() {
    Set<String> invokers =
        TerraformAccessTest.invokers(MODULE, functionName(DeferredUpdateWorker.class));
    assertEquals(Set.of("serviceAccount:google_service_account.tasks_invoker.email"), invokers);
  }

  /**
   * The keys of a function's secret variables: fixed blocks, and dynamic ones (set when their
   * secret is named). A dynamic block whose key is its entry's ({@code
   * secret_environment_variables.value.key}) sets one per entry of the function's {@code secrets}.
   */
  private static Set<String> secretKeys(Map<String, Object> function) {
    Map<String, Object> service = TerraformModule.at(function, "service_config");
    List<Map<String, Object>> blocks =
        new ArrayList<>(TerraformModule.repeated(service.get("secret_environment_variables")));
    for (Map<String, Object> dynamic : TerraformModule.repeated(service.get("dynamic"))) {
      TerraformModule.repeated(dynamic.get("secret_environment_variables"))
          .forEach(d -> blocks.add(TerraformModule.at(d, "content")));
    }
    Set<String> keys = new TreeSet<>();
    for (Map<String, Object> block : blocks) {
      String key = TerraformModule.string(block, "key");
      if (key.equals("secret_environment_variables.value.key")) {
        TerraformModule.repeated(
                TerraformModule.map(function.get(TerraformModule.EACH_VALUE)).get("secrets"))
            .forEach(entry -> keys.add(TerraformModule.string(entry, "key")));
      } else {
        keys.add(key);
      }
    }
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> deployedSettings(String entryPoint) throws Exception {
    List<Setting> settings =
        (List<Setting>) Class.forName(entryPoint).getField("SETTINGS").get(null);
    return settings.stream()
        .filter(s -> !s.localOnly())
        .map(Setting::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String entryPoint(Map<String, Object> function) {
    return TerraformModule.string(TerraformModule.at(function, "build_config"), "entry_point");
  }

  static String functionName(Class<? extends HttpFunction> entryPoint) {
    return MODULE.resources(FUNCTION).entrySet().stream()
        .filter(f -> entryPoint(f.getValue()).equals(entryPoint.getName()))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no function deploys " + entryPoint.getName()));
  }

  private static Map<String, Object> function(Class<? extends HttpFunction> entryPoint) {
    return MODULE.resources(FUNCTION).get(functionName(entryPoint));
  }
}
