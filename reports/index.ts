/** The reports: monthly figures and SLA compliance, as data and as text. */
export { connectForReports, embeddedDatabaseUrl, ReportDatabaseError } from './database.js';
export { currentMonth, isMonth, monthlyReport, type MonthlyReport } from './monthly.js';
export { cancelledOutcomes, isDate, slaFormula, slaReport, type SlaReport, type SlaReportOptions, type SlaReportRow } from './sla.js';
export { renderMonthly, renderSla } from './render.js';
export { caseHistory, renderCaseHistory, type CaseHistoryRow } from './case-history.js';
