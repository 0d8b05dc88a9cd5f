import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * A box that scrolls its content sideways when the content is wider than the box (a table on a
 * narrow screen). Only while it can scroll does it become a named, focusable region, so that a
 * keyboard can scroll it (WCAG 2.1.1; axe `scrollable-region-focusable`); when the content fits
 * it is a plain box and adds no stop to the Tab order.
 *
 * @example
 * ```tsx
 * <ScrollRegion label="API keys of Billing export"><table>...</table></ScrollRegion>
 * ```
 */
export function ScrollRegion(props: { readonly label: string; readonly children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollable, setScrollable] = useState(false);
  useLayoutEffect(() => {
    const box = ref.current;
    if (box === null) return;
    const measure = () =>
      setScrollable(box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight);
    measure();
    // The box resizes with the window; the content with its rows.
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    for (const child of Array.from(box.children)) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      class="table-wrap"
      {...(scrollable ? { tabIndex: 0, role: 'region', 'aria-label': props.label } : {})}
    >
      {props.children}
    </div>
  );
}
