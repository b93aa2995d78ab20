import { join } from 'node:path';

/** The experiment job's Maven project. */
export const ANALYTICS_DIR = join(__dirname, '..', 'analytics');
/** What the job is built from: its build, its sources and the event schema it compiles. */
export const JOB_SOURCES = [
  join(ANALYTICS_DIR, 'pom.xml'),
  join(ANALYTICS_DIR, 'src', 'main'),
  join(__dirname, '..', 'proto'),
];
/** The job's settings on Managed Service for Apache Flink: the property group it reads (ExperimentJob.java). */
export const JOB_PROPERTY_GROUP = 'ExperimentJob';
/** The object the job reads its experiment definitions from, beside the fleet's tenants.json. */
export const EXPERIMENTS_OBJECT_KEY = 'experiments.json';
