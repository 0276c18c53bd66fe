import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { accounts, authLibrary, type Me } from '../../shared/contract';
import { ApiError, call } from './api';

type AuthState = {
  me: Me | null;
  loading: boolean;
  refresh: () => Promise<Me | null>;
  signIn: (email: string, password: string) => Promise<Me | null>;
  signUp: (name: string, email: string, password: string) => Promise<Me | null>;
  signOut: () => Promise<void>;
};

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    try {
      const next = await call(accounts.me);
      setMe(next);
      return next;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) console.error(error);
      setMe(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);
  const signIn = async (email: string, password: string) => {
    await call(authLibrary.signIn, { body: { email, password } });
    return refresh();
  };
  const signUp = async (name: string, email: string, password: string) => {
    await call(authLibrary.signUp, { body: { name, email, password } });
    return refresh();
  };
  const signOut = async () => {
    await call(authLibrary.signOut, { body: {} });
    setMe(null);
    location.assign('/');
  };
  return (
    <AuthContext.Provider value={{ me, loading, refresh, signIn, signUp, signOut }}>{children}</AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
