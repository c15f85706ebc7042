/** The reports: monthly figures and SLA compliance, as data and as text. */
export { connectForReports, embeddedDatabaseUrl, ReportDatabaseError } from './database.js';
export { isMonth, monthlyReport, type MonthlyReport } from './monthly.js';
export { isDate, slaFormula, slaReport, type SlaReport, type SlaReportRow } from './sla.js';
export { renderMonthly, renderSla } from './render.js';
