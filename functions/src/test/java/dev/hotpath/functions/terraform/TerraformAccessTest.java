package dev.hotpath.functions.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.functions.WriteApi;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Who may call what: nothing public but a Write API whose invokers a variable names. */
class TerraformAccessTest {
  private static final Set<String> PUBLIC = Set.of("allUsers", "allAuthenticatedUsers");
  private static final TerraformModule MODULE = TerraformModule.load();

  @Test
  void noResourceGrantsThePublicLiterally() {
    MODULE
        .allResources()
        .forEach(
            (name, body) -> {
              if (name.contains("_iam_")) {
                for (String member : members(body)) {
                  assertFalse(PUBLIC.contains(member), name + " grants " + member);
                }
              }
            });
  }

  @Test
  void onlyTheWriteApiHasInvokersFromAVariableAndNoneByDefault() {
    String writeApi = TerraformFunctionsTest.functionName(WriteApi.class);
    MODULE
        .allResources()
        .forEach(
            (name, body) -> {
              if (name.contains("_iam_")
                  && TerraformModule.string(body, "role").contains("invoker")) {
                for (String member : members(body)) {
                  boolean fromVariable =
                      !member.startsWith("serviceAccount:google_service_account.");
                  if (fromVariable) {
                    assertTrue(
                        name.startsWith("google_cloud_run_service_iam_member.")
                            || name.startsWith("google_cloud_run_v2_service_iam_member."),
                        name);
                    assertTrue(
                        TerraformModule.string(body, "service")
                            .startsWith("google_cloudfunctions2_function." + writeApi + "."),
                        name + " takes its members from a variable but is not the Write API's");
                  }
                }
              }
            });
    assertEquals(List.of(), MODULE.blocks("variable").get("write_api_invokers").get("default"));
  }

  @Test
  void invokerRolesSitOnCloudRunServicesNotOnFunctions() {
    MODULE
        .allResources()
        .keySet()
        .forEach(
            name ->
                assertFalse(
                    name.startsWith("google_cloudfunctions2_function_iam_"),
                    name + ": roles/run.invoker is not accepted there"));
  }

  /**
   * The members granted roles/run.invoker on the Cloud Run service of function resource {@code
   * function}.
   */
  static Set<String> invokers(TerraformModule module, String function) {
    Set<String> invokers = new TreeSet<>();
    module
        .allResources()
        .forEach(
            (name, body) -> {
              boolean runService =
                  name.startsWith("google_cloud_run_service_iam_member.")
                      || name.startsWith("google_cloud_run_v2_service_iam_member.");
              if (runService
                  && TerraformModule.string(body, "role").equals("roles/run.invoker")
                  && TerraformModule.string(body, "service")
                      .startsWith("google_cloudfunctions2_function." + function + ".")) {
                invokers.addAll(members(body));
              }
            });
    return invokers;
  }

  private static Set<String> members(Map<String, Object> body) {
    Set<String> members = new TreeSet<>();
    if (body.containsKey("member")) {
      members.add(TerraformModule.string(body, "member"));
    }
    if (body.get("members") instanceof List<?> list) {
      list.forEach(m -> members.add(String.valueOf(m)));
    }
    return members;
  }
}
