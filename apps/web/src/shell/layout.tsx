import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { ThemeToggle } from './theme.js';

/** One entry of the top navigation: a page, or a menu of pages. */
export type NavItem = { label: string; to: string } | { label: string; items: { label: string; to: string }[] };

/** The frame every page of an app shares: brand, navigation, theme toggle, then the page. */
export function Layout({ brand, nav, extra }: { brand: string; nav: readonly NavItem[]; extra?: ReactNode }) {
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          <img src="./favicon.svg" alt="" width={22} height={22} />
          {brand}
        </span>
        <nav className="nav">
          {nav.map((item) => ('to' in item ? <NavLink key={item.label} to={item.to} end={item.to === '/'} className="nav-link">{item.label}</NavLink> : <NavMenu key={item.label} label={item.label} items={item.items} />))}
        </nav>
        <span className="topbar-right">
          {extra}
          <ThemeToggle />
        </span>
      </header>
      <main className="page">
        <Outlet />
      </main>
    </div>
  );
}

function NavMenu({ label, items }: { label: string; items: { label: string; to: string }[] }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const location = useLocation();
  const active = items.some((i) => location.pathname.endsWith(i.to));
  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => ref.current?.contains(e.target as Node) || setOpen(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="nav-menu" ref={ref}>
      <button type="button" className={`nav-link${active ? ' active' : ''}`} aria-expanded={open} onClick={() => setOpen(!open)}>
        {label} ▾
      </button>
      {open && (
        <div className="nav-menu-items" role="menu">
          {items.map((i) => (
            <NavLink key={i.to} to={i.to} className="nav-menu-item" role="menuitem">
              {i.label}
            </NavLink>
          ))}
        </div>
      )}
    </div>
  );
}

/** A page's title row with optional controls on the right. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    const app = document.title.includes('·') ? document.title.slice(document.title.indexOf('·')) : '· Pyrometer';
    document.title = `${title} ${app}`;
  }, [title]);
  return (
    <div className="page-header">
      <h1>{title}</h1>
      <div className="page-header-controls">{children}</div>
    </div>
  );
}
