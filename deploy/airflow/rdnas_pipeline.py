"""rdnas scheduled pipeline for Apache Airflow: job 1 (proxy scoring) -> job 2 (distill training) -> report.

One run folder per schedule date, ``$RDNAS_RUNS/<ds>``, so a rerun of a date repeats nothing:
job 1 is skipped when ``<ds>/ranking`` exists and resumed (``rdnas.scoring.resume=true``) when
``<ds>/.ranking-parts`` holds an unfinished run's parts; job 2 is skipped when ``<ds>/summary.json``
exists and resumed (``rdnas.train.resume=true``) when checkpoints, metrics or eval rows exist. Failed
tasks are retried by Airflow, and each retry resumes. The report task runs
``deploy/pipeline/rdnas-pipeline --step report <ds>`` (the same step as the cron pipeline).

Needs ``apache-airflow-providers-apache-spark>=4.1`` and a Spark connection (``RDNAS_SPARK_CONN``,
default ``spark_default``) whose host is the master (``spark://HOST:7077``, ``yarn``,
``k8s://https://HOST:443``). Worker environment:

- ``RDNAS_HOME``: this repository on the Airflow workers (jars built, ``deploy/`` scripts)
- ``RDNAS_RUNS``: root of the run folders, any Hadoop path the cluster and the workers see
- ``RDNAS_REPORTS``: local folder for collected reports (see deploy/pipeline/rdnas-pipeline)
- ``RDNAS_EVENT_LOG_DIR``: Spark event log folder (default ``file:/tmp/spark-events``)
- ``RDNAS_SPARK_SECRET``: the ``spark.authenticate`` secret, required on a standalone master (YARN
  and Kubernetes make one per application); read when a task runs, never stored in the DAG
- ``RDNAS_SCORING_ARGS`` / ``RDNAS_TRAIN_ARGS``: extra rdnas key=value arguments, space-separated
- ``RDNAS_EXECUTOR_CORES`` (4), ``RDNAS_EXECUTORS`` (2), ``RDNAS_EXECUTOR_MEMORY`` (4g),
  ``RDNAS_EXECUTOR_OVERHEAD`` (6g): one task slot per executor, PyTorch gets all its cores
"""

import os
import shlex
import subprocess
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException
from airflow.hooks.base import BaseHook
from airflow.operators.bash import BashOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

HOME = os.environ.get("RDNAS_HOME", "/opt/rdnas")
RUN = os.environ.get("RDNAS_RUNS", "/data/rdnas/runs").rstrip("/") + "/{{ ds }}"
CONN = os.environ.get("RDNAS_SPARK_CONN", "spark_default")
CORES = int(os.environ.get("RDNAS_EXECUTOR_CORES", "4"))
EXECUTORS = int(os.environ.get("RDNAS_EXECUTORS", "2"))

# Security defaults, threads and native headroom, as deploy/cluster/rdnas-submit sets them.
CONF = {
    "spark.authenticate": "true",
    "spark.network.crypto.enabled": "true",
    "spark.io.encryption.enabled": "true",
    "spark.eventLog.enabled": "true",
    "spark.eventLog.dir": os.environ.get("RDNAS_EVENT_LOG_DIR", "file:/tmp/spark-events"),
    "spark.executor.cores": str(CORES),
    "spark.task.cpus": str(CORES),
    "spark.executor.instances": str(EXECUTORS),
    "spark.executor.memory": os.environ.get("RDNAS_EXECUTOR_MEMORY", "4g"),
    "spark.executor.memoryOverhead": os.environ.get("RDNAS_EXECUTOR_OVERHEAD", "6g"),
    "spark.executorEnv.OMP_NUM_THREADS": str(CORES),
}


def _exists(path):
    """True when a local or Hadoop path exists."""
    if "://" not in path or path.startswith("file:"):
        return os.path.exists(path.removeprefix("file://").removeprefix("file:"))
    return subprocess.run(["hadoop", "fs", "-test", "-e", path], check=False).returncode == 0


class RdnasSparkSubmit(SparkSubmitOperator):
    """Submits one rdnas job unless its output is complete; resumes an unfinished one.

    The JVM flags and the secret are read when the task runs, on the worker, so that neither is
    part of the parsed DAG.
    """

    template_fields = (*SparkSubmitOperator.template_fields, "done", "partial")

    def __init__(self, *, done, partial, resume_arg, **kwargs):
        super().__init__(**kwargs)
        self.done = done
        self.partial = partial
        self.resume_arg = resume_arg

    def execute(self, context):
        if _exists(self.done):
            self.log.info("%s exists; skipped", self.done)
            return None
        if any(_exists(p) for p in self.partial):
            self.log.info("resuming the unfinished run (%s)", self.resume_arg)
            self.application_args = [*self.application_args, self.resume_arg]
        flags_file = os.environ.get(
            "RDNAS_JVM_FLAGS_FILE", f"{HOME}/deploy/local/target/spark-home/jvm-flags")
        try:
            with open(flags_file, encoding="utf-8") as f:
                flags = f.read().strip()
        except OSError as e:
            raise AirflowException(
                f"cannot read the JVM flags {flags_file} (RDNAS_JVM_FLAGS_FILE): {e}; build them "
                "with: mvn -B -q -pl deploy/local -am package -DskipTests") from e
        conf = {
            **self.conf,
            "spark.driver.extraJavaOptions": f"{flags} -Dai.djl.offline=true",
            "spark.executor.extraJavaOptions": (
                f"{flags} -Dai.djl.pytorch.num_threads={CORES}"
                " -Dai.djl.pytorch.num_interop_threads=1 -Dai.djl.offline=true"),
        }
        master = BaseHook.get_connection(self.conn_id).host or ""
        if master.startswith("spark://"):
            secret = os.environ.get("RDNAS_SPARK_SECRET")
            if not secret:
                raise AirflowException(
                    "RDNAS_SPARK_SECRET is unset: a standalone master needs the spark.authenticate "
                    "secret it runs with")
            conf["spark.authenticate.secret"] = secret  # masked in the logged command by the hook
        self.conf = conf
        return super().execute(context)


with DAG(
    dag_id="rdnas_pipeline",
    description="RD-NAS: proxy scoring -> distill training -> report, one run folder per date",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=10)},
    tags=["rdnas"],
) as dag:
    score = RdnasSparkSubmit(
        task_id="proxy_scoring",
        conn_id=CONN,
        name="rdnas-scoring",
        java_class="org.rdnas.spark.ProxyScoringJob",
        application=f"{HOME}/spark-jobs/target/proxy-scoring.jar",
        conf=CONF,
        application_args=[f"output.path={RUN}",
                          *shlex.split(os.environ.get("RDNAS_SCORING_ARGS", ""))],
        done=f"{RUN}/ranking",
        partial=[f"{RUN}/.ranking-parts"],
        resume_arg="scoring.resume=true",
        retries=3,
    )
    train = RdnasSparkSubmit(
        task_id="distill_train",
        conn_id=CONN,
        name="rdnas-train",
        java_class="org.rdnas.spark.DistillTrainJob",
        application=f"{HOME}/spark-jobs/target/distill-train.jar",
        conf=CONF,
        application_args=[f"output.path={RUN}",
                          *shlex.split(os.environ.get("RDNAS_TRAIN_ARGS", ""))],
        done=f"{RUN}/summary.json",
        partial=[f"{RUN}/checkpoints", f"{RUN}/metrics", f"{RUN}/eval"],
        resume_arg="train.resume=true",
        retries=3,
    )
    # Hook: HTML reports are written by the jobs themselves into the run folder; this step only
    # collects summary.json and correlation.json into the dated reports index.
    report = BashOperator(
        task_id="report",
        bash_command=f"{HOME}/deploy/pipeline/rdnas-pipeline --step report {{{{ ds }}}}",
        retries=3,
    )

    score >> train >> report
