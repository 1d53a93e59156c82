import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useSession, useSessionActions } from '../api/session';
import { LanguageSwitcher } from './LanguageSwitcher';

/** The frame of every signed-in page: skip link, header with navigation, language and logout. */
export function Layout() {
  const { t } = useTranslation();
  const session = useSession();
  const { logout } = useSessionActions();
  const navigate = useNavigate();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          {t('app.name')}
        </NavLink>
        <nav aria-label={t('nav.main')} className="topbar__nav">
          <NavLink to="/" end>
            {t('nav.connections')}
          </NavLink>
          <NavLink to="/accounts">{t('nav.accounts')}</NavLink>
        </nav>
        <div className="topbar__end">
          <NavLink to="/connections/new" className="button button--primary button--small">
            {t('nav.newConnection')}
          </NavLink>
          <LanguageSwitcher />
          {session.data?.user && (
            <button
              type="button"
              className="button button--ghost button--small"
              title={t('nav.signedInAs', { email: session.data.user.email })}
              onClick={() => void logout().then(() => navigate('/login'))}
            >
              {t('nav.logout')}
            </button>
          )}
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
