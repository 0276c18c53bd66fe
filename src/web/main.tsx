import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { Layout } from './components/layout';
import { OneOpenSession } from './components/open-session-bar';
import { Notice, Spinner } from './components/ui';
import { AuthProvider, useAuth } from './lib/auth';
import { OpenSessionProvider } from './lib/open-session';
import { match, navigate, usePath } from './lib/router';
import { Apply, SignIn, SignUp } from './features/public/auth-pages';
import { Landing } from './features/public/landing';
import { Privacy, Terms } from './features/public/legal-pages';

/*
 * The public pages come with the app; every other area is its own chunk, fetched the first time
 * one of its pages is shown: a customer never downloads the admin console or the mechanic's
 * dashboard, and the landing page does not download the session room.
 */
const adminConsole = () => import('./features/admin');
const AdminSessions = lazy(() => adminConsole().then((m) => ({ default: m.AdminSessions })));
const SessionInspector = lazy(() => adminConsole().then((m) => ({ default: m.SessionInspector })));
const MechanicInspector = lazy(() => adminConsole().then((m) => ({ default: m.MechanicInspector })));
const Approvals = lazy(() => adminConsole().then((m) => ({ default: m.Approvals })));
const Workshops = lazy(() => adminConsole().then((m) => ({ default: m.Workshops })));
const Invariants = lazy(() => adminConsole().then((m) => ({ default: m.Invariants })));
const Audit = lazy(() => adminConsole().then((m) => ({ default: m.Audit })));
const AdminPayments = lazy(() => adminConsole().then((m) => ({ default: m.AdminPayments })));
const PaymentStory = lazy(() => adminConsole().then((m) => ({ default: m.PaymentStory })));
const RefundRequests = lazy(() => adminConsole().then((m) => ({ default: m.RefundRequests })));
const Disputes = lazy(() => adminConsole().then((m) => ({ default: m.Disputes })));
const Payouts = lazy(() => adminConsole().then((m) => ({ default: m.Payouts })));
const Webhooks = lazy(() => adminConsole().then((m) => ({ default: m.Webhooks })));
const Outbox = lazy(() => adminConsole().then((m) => ({ default: m.Outbox })));
const CustomerDashboard = lazy(() =>
  import('./features/customer/dashboard').then((m) => ({ default: m.CustomerDashboard })),
);
const Receipts = lazy(() => import('./features/customer/receipts').then((m) => ({ default: m.Receipts })));
const garage = () => import('./features/garage');
const GaragePage = lazy(() => garage().then((m) => ({ default: m.GaragePage })));
const VehicleHistoryPage = lazy(() => garage().then((m) => ({ default: m.VehicleHistoryPage })));
const Intake = lazy(() => import('./features/customer/intake').then((m) => ({ default: m.Intake })));
const MechanicDashboard = lazy(() =>
  import('./features/mechanic/dashboard').then((m) => ({ default: m.MechanicDashboard })),
);
const Earnings = lazy(() => import('./features/mechanic/earnings').then((m) => ({ default: m.Earnings })));
const MechanicProfilePage = lazy(() =>
  import('./features/mechanic/profile-page').then((m) => ({ default: m.MechanicProfilePage })),
);
const AccountPage = lazy(() => import('./features/account/account-page').then((m) => ({ default: m.AccountPage })));
const ForgotPassword = lazy(() =>
  import('./features/public/password-reset').then((m) => ({ default: m.ForgotPassword })),
);
const ResetPassword = lazy(() =>
  import('./features/public/password-reset').then((m) => ({ default: m.ResetPassword })),
);
const SessionPage = lazy(() => import('./features/room/session-page').then((m) => ({ default: m.SessionPage })));
const SharedReportPage = lazy(() =>
  import('./features/public/shared-report').then((m) => ({ default: m.SharedReportPage })),
);

function Routes() {
  const path = usePath();
  const { me, loading } = useAuth();
  const route = path.split('?')[0]!;
  if (route === '/') return <Landing />;
  if (route === '/sign-in') return <SignIn />;
  if (route === '/sign-up') return <SignUp />;
  if (route === '/apply') return <Apply />;
  if (match('/r/:token', route)) return <SharedReportPage token={match('/r/:token', route)!.token!} />;
  if (route === '/terms') return <Terms />;
  if (route === '/privacy') return <Privacy />;
  if (route === '/forgot-password') return <ForgotPassword />;
  if (route === '/reset-password') return <ResetPassword />;
  if (loading) return <Spinner />;
  if (!me) {
    queueMicrotask(() => navigate('/sign-in', true));
    return null;
  }
  const role = me.user.role;
  if (route === '/app')
    return role === 'admin' ? <AdminSessions /> : role === 'mechanic' ? <MechanicDashboard /> : <CustomerDashboard />;
  if (route === '/request')
    return role === 'customer' ? (
      <OneOpenSession>
        <Intake />
      </OneOpenSession>
    ) : (
      <Notice>Only customer accounts request sessions.</Notice>
    );
  if (route === '/receipts')
    return role === 'customer' ? <Receipts /> : <Notice>Receipts are for customer accounts.</Notice>;
  if (route === '/garage')
    return role === 'customer' ? <GaragePage /> : <Notice>The garage is for customer accounts.</Notice>;
  const garageVehicle = match('/garage/:id', route);
  if (garageVehicle && role === 'customer') return <VehicleHistoryPage key={garageVehicle.id} id={garageVehicle.id!} />;
  if (route === '/earnings')
    return role === 'mechanic' ? <Earnings /> : <Notice>Earnings are for mechanic accounts.</Notice>;
  if (route === '/profile')
    return role === 'mechanic' ? <MechanicProfilePage /> : <Notice>Profiles are for mechanic accounts.</Notice>;
  if (route === '/account') return <AccountPage />;
  const session = match('/sessions/:id', route);
  if (session && role === 'admin') {
    // An admin reads a session in the inspector, where every message says who wrote it.
    queueMicrotask(() => navigate(`/admin/sessions/${encodeURIComponent(session.id!)}`, true));
    return null;
  }
  if (session) return <SessionPage id={session.id!} />;
  if (role === 'admin') {
    const inspected = match('/admin/sessions/:id', route);
    if (inspected) return <SessionInspector id={inspected.id!} />;
    if (route === '/admin/mechanics') return <MechanicInspector />;
    if (route === '/admin/approvals') return <Approvals />;
    if (route === '/admin/workshops') return <Workshops />;
    if (route === '/admin/invariants') return <Invariants />;
    if (route === '/admin/audit') return <Audit />;
    if (route === '/admin/payments') return <AdminPayments />;
    const payment = match('/admin/payments/:id', route);
    if (payment) return <PaymentStory key={payment.id} id={payment.id!} />;
    if (route === '/admin/refund-requests') return <RefundRequests />;
    if (route === '/admin/disputes') return <Disputes />;
    if (route === '/admin/payouts') return <Payouts />;
    if (route === '/admin/webhooks') return <Webhooks />;
    if (route === '/admin/outbox') return <Outbox />;
  }
  return <Notice tone="error">This page does not exist.</Notice>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider>
      <OpenSessionProvider>
        <Layout>
          <Suspense fallback={<Spinner />}>
            <Routes />
          </Suspense>
        </Layout>
      </OpenSessionProvider>
    </AuthProvider>
  </StrictMode>,
);
