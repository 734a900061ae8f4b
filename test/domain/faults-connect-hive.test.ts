/** Fault injection at every request of a connect: Hightouch, legacy Hive metastore, an existing warehouse. */
import { CASES } from './faultCases';
import { connectFaultTest } from './connectFaults';

connectFaultTest(CASES[1]);
