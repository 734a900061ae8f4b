/** Fault injection at every request of a connect: Dataiku, Unity Catalog, a new warehouse. */
import { CASES } from './faultCases';
import { connectFaultTest } from './connectFaults';

connectFaultTest(CASES[0]);
