import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en.ts';
import { id } from './locales/id.ts';

export type Language = 'en' | 'id';
export const languages: Language[] = ['en', 'id'];
const storageKey = 'mitra.lang';

function storedLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(storageKey);
    return value === 'en' || value === 'id' ? value : null;
  } catch {
    return null;
  }
}

function initialLanguage(): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  return navigator.language?.toLowerCase().startsWith('id') ? 'id' : 'en';
}

/** The BCP 47 locale used for dates, numbers and country names in each UI language. */
export const localeOf = (language: string): string => (language === 'id' ? 'id-ID' : 'en-GB');

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, id: { translation: id } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: languages,
  interpolation: { escapeValue: false }, // React escapes already.
});

function reflectLanguage(language: string) {
  document.documentElement.lang = language;
}

reflectLanguage(i18n.language);
i18n.on('languageChanged', (language) => {
  reflectLanguage(language);
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Private mode or storage disabled: the choice simply lasts for this page.
  }
});

export default i18n;
