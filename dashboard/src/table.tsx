import { type ComponentChildren } from 'preact';
import { type Page } from './api';
import { type Loaded, Pager, Show, type usePager } from './ui';

/** A heading: its text, `num` for a right-aligned figure column, `hidden` for one only screen readers read. */
export type Column = string | { label: string; num?: boolean; hidden?: boolean };

/** A column of figures (right-aligned). */
export const figure = (label: string): Column => ({ label, num: true });

/**
 * The dashboard's list table: one heading a column, the rows `children` renders for each item, and a row
 * saying `empty` when there are no items (none when `empty` is not given).
 */
interface TableProps<T> {
  testId?: string;
  columns: Column[];
  empty?: string;
  children: (item: T) => ComponentChildren;
}

export function Table<T>(props: TableProps<T> & { items: T[] }) {
  const { columns, items, empty } = props;
  return (
    <div class="table-wrap">
      <table data-testid={props.testId}>
        <thead>
          <tr>
            {columns.map((c) => {
              const col = typeof c === 'string' ? { label: c } : c;
              return (
                <th key={col.label} class={col.num ? 'num' : undefined}>
                  {col.hidden ? <span class="sr-only">{col.label}</span> : col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {empty !== undefined && items.length === 0 && (
            <tr>
              <td colSpan={columns.length} class="muted">
                {empty}
              </td>
            </tr>
          )}
          {items.map((item) => props.children(item))}
        </tbody>
      </table>
    </div>
  );
}

/** One page of a loaded list as a `Table`, with the pager under it (or the load's error or progress). */
export function PagedTable<T>(
  props: TableProps<T> & { state: Loaded<Page<T>>; what: string; pager: ReturnType<typeof usePager> },
) {
  const { state, what, pager, ...table } = props;
  return (
    <Show state={state} what={what}>
      {(page) => (
        <>
          <Table {...table} items={page.items} />
          <Pager pager={pager} nextCursor={page.nextCursor} />
        </>
      )}
    </Show>
  );
}
