import type { Attributes, AttributeValue } from '@opentelemetry/api';
import {
  type DataPoint,
  DataPointType,
  type Histogram,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A metric reader collected from on demand (cumulative, the SDK's default). */
class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One data point of a collected metric: its attributes and value (a number, or a histogram). */
export type CollectedPoint = DataPoint<unknown>;

/** A collected metric: descriptor, scope and data points. */
export interface CollectedMetric {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  /** `sum` for a counter, `histogram` for a histogram. */
  readonly kind: 'sum' | 'histogram' | 'other';
  /** Whether a sum only grows (a counter). */
  readonly monotonic: boolean;
  readonly scope: { readonly name: string; readonly version?: string | undefined };
  readonly points: readonly CollectedPoint[];
}

/** The real OpenTelemetry SDK, in memory: a tracer provider with a span exporter, a meter provider with a reader. */
export function otelHarness() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    /** Every ended span, in the order they ended. */
    spans: (): readonly ReadableSpan[] => exporter.getFinishedSpans(),
    /** Every metric recorded so far, by name. */
    async metrics(): Promise<Map<string, CollectedMetric>> {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw errors[0];
      const found = new Map<string, CollectedMetric>();
      for (const scopeMetrics of resourceMetrics.scopeMetrics) {
        for (const metric of scopeMetrics.metrics) {
          found.set(metric.descriptor.name, {
            name: metric.descriptor.name,
            unit: metric.descriptor.unit,
            description: metric.descriptor.description,
            kind:
              metric.dataPointType === DataPointType.SUM
                ? 'sum'
                : metric.dataPointType === DataPointType.HISTOGRAM
                  ? 'histogram'
                  : 'other',
            monotonic: metric.dataPointType === DataPointType.SUM && metric.isMonotonic,
            scope: scopeMetrics.scope,
            points: metric.dataPoints as readonly CollectedPoint[],
          });
        }
      }
      return found;
    },
  };
}

/** The data point of `metric` whose attributes are exactly `attributes`, or undefined. */
export function pointWith(
  metric: CollectedMetric | undefined,
  attributes: Attributes,
): CollectedPoint | undefined {
  return metric?.points.find((point) => sameAttributes(point.attributes, attributes));
}

/** The histogram of `metric` for exactly `attributes`; throws when there is none. */
export function histogramWith(metric: CollectedMetric | undefined, attributes: Attributes): Histogram {
  const point = pointWith(metric, attributes);
  if (metric?.kind !== 'histogram' || point === undefined) throw new Error('no such histogram point');
  return point.value as Histogram;
}

function sameAttributes(a: Attributes, b: Attributes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** A span's duration in ms. */
export function durationMs(span: ReadableSpan): number {
  return span.duration[0] * 1000 + span.duration[1] / 1e6;
}

/** A span time (HrTime) as epoch ms. */
export function epochMs(time: readonly [number, number]): number {
  return time[0] * 1000 + time[1] / 1e6;
}

/**
 * Every string a span exposes: attribute values, event names and attributes, status message,
 * name. What a test checks no secret leaks into.
 */
export function recordedTexts(span: ReadableSpan): string[] {
  const texts: string[] = [span.name];
  const add = (value: AttributeValue | undefined) => {
    if (value === undefined) return;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== null && item !== undefined) texts.push(String(item));
    }
  };
  for (const value of Object.values(span.attributes)) add(value);
  for (const event of span.events) {
    texts.push(event.name);
    for (const value of Object.values(event.attributes ?? {})) add(value);
  }
  if (span.status.message !== undefined) texts.push(span.status.message);
  return texts;
}

/** The secret part of a keyward token (`<prefix>_<keyId>_<secret><crc>`): its last segment. */
export function secretOf(token: string): string {
  const secret = token.split('_').at(-1);
  if (secret === undefined || secret.length < 20) throw new Error('not a keyward token');
  return secret;
}
