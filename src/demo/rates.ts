/**
 * Demo exchange rates from USD, one per day, close to late-2026 market levels with a gentle
 * deterministic wobble — so invoices in IDR and AUD show a real conversion with its rate and day.
 */
const levels: Record<string, [number, number]> = {
  IDR: [16_550, 4],
  AUD: [1.52, 6],
  EUR: [0.92, 6],
  GBP: [0.79, 6],
  SGD: [1.34, 6],
};

export function demoRatesCsv(from: Date, days: number): string {
  const lines = ['date,base,quote,rate,source'];
  for (let d = 0; d <= days; d++) {
    const day = new Date(from.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    for (const [quote, [level, dp]] of Object.entries(levels)) {
      // ±0.6 % around the level, the same every run for the same day.
      const wobble = 1 + 0.006 * Math.sin(d / 5 + quote.charCodeAt(0));
      lines.push(`${day},USD,${quote},${(level * wobble).toFixed(dp)},demo`);
    }
  }
  return `${lines.join('\n')}\n`;
}
