/** Fault injection at every request of a connect on an Azure-like workspace: the OBO refusal and the OAuth secret step. */
import { CASES } from './faultCases';
import { connectFaultTest } from './connectFaults';

connectFaultTest(CASES[2]);
