package org.rdnas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/airflow/rdnas_pipeline.py parses as Python and chains scoring -> training -> report,
 * each task with retries, using only known Spark keys and the security defaults. Read with
 * Python's own parser (no Airflow needed).
 */
class AirflowDagTest {
  private static final String DAG = "deploy/airflow/rdnas_pipeline.py";

  // Prints the DAG's tasks (id, operator, retries), its >> chain, the string keys of its CONF dict,
  // and whether it imports SparkSubmitOperator, as JSON.
  private static final String SUMMARY = """
      import ast, json, sys
      tree = ast.parse(open(sys.argv[1]).read())
      tasks, chain, conf, imports = {}, [], [], []
      for node in ast.walk(tree):
          if isinstance(node, ast.ImportFrom):
              imports += [node.module + "." + a.name for a in node.names]
          if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
              kw = {k.arg: k.value for k in node.value.keywords}
              if "task_id" in kw:
                  tasks[node.targets[0].id] = {
                      "task_id": ast.literal_eval(kw["task_id"]),
                      "operator": node.value.func.id,
                      "retries": ast.literal_eval(kw["retries"]) if "retries" in kw else None}
          if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "CONF":
              conf = [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
          if isinstance(node, ast.Expr) and isinstance(node.value, ast.BinOp):
              def flat(n):
                  return flat(n.left) + flat(n.right) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.RShift) else [n.id]
              chain = flat(node.value)
      print(json.dumps({"tasks": tasks, "chain": chain, "conf": conf, "imports": imports}))
      """;

  @Test
  void dagChainsTheThreeStepsWithRetries() throws Exception {
    String python = Repo.tool("/usr/bin/python3", "python3");
    Repo.Result r = Repo.run(Map.of(), List.of(python, "-c", SUMMARY, DAG));
    assertEquals(0, r.status(), DAG + " does not parse:\n" + r.output());
    JsonNode dag = new ObjectMapper().readTree(r.output());

    List<String> chain = new ArrayList<>();
    dag.path("chain").forEach(n -> chain.add(n.asText()));
    assertEquals(3, chain.size(), "expected scoring >> training >> report, got " + chain);
    List<String> ids = new ArrayList<>();
    for (String var : chain) {
      JsonNode task = dag.path("tasks").path(var);
      ids.add(task.path("task_id").asText());
      assertTrue(task.path("retries").asInt() >= 1, var + " has no retries");
    }
    assertEquals(List.of("proxy_scoring", "distill_train", "report"), ids);
    assertEquals("RdnasSparkSubmit", dag.path("tasks").path(chain.get(0)).path("operator").asText());
    assertEquals("RdnasSparkSubmit", dag.path("tasks").path(chain.get(1)).path("operator").asText());
    assertTrue(dag.path("imports").toString().contains(
        "airflow.providers.apache.spark.operators.spark_submit.SparkSubmitOperator"));

    List<String> conf = new ArrayList<>();
    dag.path("conf").forEach(n -> conf.add(n.asText()));
    conf.forEach(k -> assertTrue(SparkKeys.known(k), "unknown Spark key " + k + " in " + DAG));
    assertTrue(conf.containsAll(List.of("spark.authenticate", "spark.network.crypto.enabled",
        "spark.io.encryption.enabled", "spark.eventLog.enabled", "spark.eventLog.dir",
        "spark.executor.memoryOverhead")), conf.toString());
    String text = Repo.read(Repo.ROOT.resolve(DAG));
    assertTrue(text.contains("\"scoring.resume=true\"") && text.contains("\"train.resume=true\""));
  }
}
