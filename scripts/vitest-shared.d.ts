export function resultsReporters(name: string): any[];
