import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { Layout } from './components/layout';
import { Notice, Spinner } from './components/ui';
import { AuthProvider, useAuth } from './lib/auth';
import { match, navigate, usePath } from './lib/router';
import { Approvals } from './features/admin/approvals';
import { Audit } from './features/admin/audit';
import { Invariants } from './features/admin/invariants';
import { MechanicInspector } from './features/admin/mechanic-inspector';
import { SessionInspector } from './features/admin/session-inspector';
import { AdminSessions } from './features/admin/sessions-page';
import { Workshops } from './features/admin/workshops';
import { CustomerDashboard } from './features/customer/dashboard';
import { Intake } from './features/customer/intake';
import { MechanicDashboard } from './features/mechanic/dashboard';
import { Apply, SignIn, SignUp } from './features/public/auth-pages';
import { Landing } from './features/public/landing';
import { SessionPage } from './features/room/session-page';

function Routes() {
  const path = usePath();
  const { me, loading } = useAuth();
  const route = path.split('?')[0]!;
  if (route === '/') return <Landing />;
  if (route === '/sign-in') return <SignIn />;
  if (route === '/sign-up') return <SignUp />;
  if (route === '/apply') return <Apply />;
  if (loading) return <Spinner />;
  if (!me) {
    queueMicrotask(() => navigate('/sign-in', true));
    return null;
  }
  const role = me.user.role;
  if (route === '/app')
    return role === 'admin' ? <AdminSessions /> : role === 'mechanic' ? <MechanicDashboard /> : <CustomerDashboard />;
  if (route === '/request')
    return role === 'customer' ? <Intake /> : <Notice>Only customer accounts request sessions.</Notice>;
  const session = match('/sessions/:id', route);
  if (session) return <SessionPage id={session.id!} />;
  if (role === 'admin') {
    const inspected = match('/admin/sessions/:id', route);
    if (inspected) return <SessionInspector id={inspected.id!} />;
    if (route === '/admin/mechanics') return <MechanicInspector />;
    if (route === '/admin/approvals') return <Approvals />;
    if (route === '/admin/workshops') return <Workshops />;
    if (route === '/admin/invariants') return <Invariants />;
    if (route === '/admin/audit') return <Audit />;
  }
  return <Notice tone="error">This page does not exist.</Notice>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider>
      <Layout>
        <Routes />
      </Layout>
    </AuthProvider>
  </StrictMode>,
);
